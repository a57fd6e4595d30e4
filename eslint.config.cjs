// eslint (flat config) for crm_360's JavaScript: the browser tours in
// static/tests/tours, Odoo 18 ES modules. eslint's recommended rules plus the
// errors of the OCA add-on template; versions pinned in package-lock.json.
const js = require("@eslint/js");
const globals = require("globals");
const jsdoc = require("eslint-plugin-jsdoc");

module.exports = [
    js.configs.recommended,
    {
        files: ["**/*.js"],
        plugins: {jsdoc},
        languageOptions: {
            ecmaVersion: 2024,
            sourceType: "module",
            globals: {
                ...globals.browser,
                odoo: "readonly",
                owl: "readonly",
                luxon: "readonly",
            },
        },
        rules: {
            "no-console": "error",
            "no-debugger": "error",
            "no-eval": "error",
            "no-implied-eval": "error",
            "no-eq-null": "error",
            "no-return-assign": "error",
            "no-unneeded-ternary": "error",
            "no-use-before-define": "error",
            "no-unused-expressions": "error",
            "no-var": "error",
            "operator-assignment": ["error", "always"],
            "prefer-const": "error",
            eqeqeq: "error",
            "spaced-comment": ["error", "always"],
            "jsdoc/check-tag-names": ["error", {definedTags: ["odoo-module"]}],
            "jsdoc/check-types": "error",
        },
    },
    {
        // The tools' own configuration files (this one, .prettierrc.cjs): Node scripts.
        files: ["**/*.cjs"],
        languageOptions: {sourceType: "commonjs", globals: globals.node},
    },
];
