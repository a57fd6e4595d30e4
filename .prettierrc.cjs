// Prettier settings of the OCA add-on template for Odoo 18 (XML through
// @prettier/plugin-xml); installed with the pinned versions of package-lock.json.
/** @type {import('prettier').Config} */
module.exports = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    // Keep the text of XML elements as written: field values (domains, comments,
    // templates) are data.
    xmlWhitespaceSensitivity: "preserve",
};
