"""Take the README's screenshots from a running demo server (``make run``).

Usage: python tools/screenshot.py [BASE_URL]  (default http://127.0.0.1:8069)
Drives a headless Chromium over the DevTools protocol; writes the PNG files to
static/description/. CRM360_DEMO_DB names the demo database (default crm360_demo);
CRM360_SHOTS takes only some of the shots: cute, competitors, complaints, funnel,
erp, care.
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8069"
OUT = Path(__file__).resolve().parent.parent / "static" / "description"
PORT = 9333


def rpc(session, path, params):
    reply = session.post(
        BASE + path,
        json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
        timeout=60,
    ).json()
    if "error" in reply:
        raise SystemExit(reply["error"])
    return reply["result"]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={PORT}",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,1000",
                "--lang=en-US",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                url = f"http://127.0.0.1:{PORT}/json"
                with urllib.request.urlopen(url, timeout=60) as response:
                    tabs = json.load(response)
                page = next(t for t in tabs if t["type"] == "page")
                break
            except Exception:  # noqa: BLE001 - Chromium still starting
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        self.msg_id = 0

    def send(self, method, **params):
        self.msg_id += 1
        self.ws.send(
            json.dumps({"id": self.msg_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.msg_id:
                return message.get("result", {})

    def js(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.3)
        raise SystemExit(f"timeout waiting for {selector}")

    def shot(self, name):
        time.sleep(1.5)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        (OUT / name).write_bytes(base64.b64decode(data))
        print("wrote", OUT / name)

    def close(self):
        self.ws.close()
        self.proc.terminate()


def call(session, model, method, *args, **kwargs):
    return rpc(
        session,
        "/web/dataset/call_kw",
        {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
    )


def click_tab(browser, label):
    browser.js(
        "[...document.querySelectorAll('.o_notebook_headers .nav-link')]"
        f".find(a => a.textContent.trim() === {json.dumps(label)}).click()"
    )


def shoot_cute(browser, session):
    shots = [
        ("Huaxin ERP expansion", "cute_tab.png"),
        ("Northwind fleet tracking", "cute_flags.png"),
    ]
    for name, filename in shots:
        lead = call(
            session, "crm.lead", "search_read", [("name", "ilike", name)], ["id"]
        )
        browser.send("Page.navigate", url=f"{BASE}/odoo/crm/{lead[0]['id']}")
        browser.wait_for(".o_notebook_headers")
        click_tab(browser, "CUTE")
        browser.wait_for(".o_cute_map")
        browser.js("document.querySelector('.o_notebook').scrollIntoView()")
        browser.shot(filename)


def shoot_competitors(browser, session):
    # The open deal with the fullest SWOT: its matrix.
    groups = call(
        session,
        "crm.swot.item",
        "read_group",
        [("lead_id", "!=", False), ("lead_id.active", "=", True)],
        ["lead_id"],
        ["lead_id"],
        orderby="lead_id_count desc",
    )
    lead_id = max(groups, key=lambda group: group["lead_id_count"])["lead_id"][0]
    browser.send("Page.navigate", url=f"{BASE}/odoo/crm/{lead_id}")
    browser.wait_for(".o_notebook_headers")
    click_tab(browser, "Competitors")
    browser.wait_for("button[name=action_view_swot_matrix]")
    browser.js("document.querySelector('button[name=action_view_swot_matrix]').click()")
    browser.wait_for(".o_crm_swot_matrix .o_kanban_record")
    browser.shot("swot_matrix.png")

    browser.send(
        "Page.navigate", url=f"{BASE}/odoo/action-crm_360.crm_competitor_report_action"
    )
    browser.wait_for(".o_pivot table")
    browser.shot("competitor_winloss.png")

    competitor = call(
        session, "crm.competitor", "search_read", [], ["id", "deal_count"]
    )
    competitor_id = max(competitor, key=lambda c: c["deal_count"])["id"]
    browser.send(
        "Page.navigate",
        url=f"{BASE}/odoo/action-crm_360.crm_competitor_action/{competitor_id}",
    )
    browser.wait_for(".o_crm_battlecard")
    browser.shot("competitor_battlecard.png")


def shoot_complaints(browser, session):
    def open_complaint(name, tab, filename, scroll=False):
        ticket = call(
            session, "helpdesk.ticket", "search_read", [("name", "=", name)], ["id"]
        )
        browser.send(
            "Page.navigate",
            url=f"{BASE}/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/"
            f"{ticket[0]['id']}",
        )
        browser.wait_for(".o_notebook_headers")
        click_tab(browser, tab)
        time.sleep(0.5)
        if scroll:
            browser.js("document.querySelector('.o_notebook').scrollIntoView()")
        browser.shot(filename)

    open_complaint("新到的阀门漏水", "Description", "complaint_suggestion.png")
    open_complaint("水泵漏油，质量太差", "Complaint", "complaint_intake.png")
    open_complaint(
        "Pump loses pressure after two hours",
        "Handling",
        "complaint_handling.png",
        scroll=True,
    )
    browser.send(
        "Page.navigate",
        url=f"{BASE}/odoo/action-crm_360.helpdesk_complaint_report_action",
    )
    browser.wait_for(".o_graph_renderer canvas")
    browser.shot("complaint_pareto.png")


def shoot_funnel(browser, session):
    # The funnel chart, then its pivot with the conversion figures.
    browser.send(
        "Page.navigate", url=f"{BASE}/odoo/action-crm_360.crm_funnel_report_action"
    )
    browser.wait_for(".o_graph_renderer canvas")
    browser.shot("crm_funnel.png")
    browser.js("document.querySelector('.o_switch_view.o_pivot').click()")
    browser.wait_for(".o_pivot table .o_pivot_cell_value")
    browser.shot("crm_funnel_pivot.png")

    browser.send(
        "Page.navigate", url=f"{BASE}/odoo/action-crm_360.crm_stage_time_report_action"
    )
    browser.wait_for(".o_list_view .o_data_row")
    # Per sales team rather than per stage: swap the two filters.
    browser.js("document.querySelector('.o_searchview_dropdown_toggler').click()")
    browser.wait_for(".o_filter_menu .o_menu_item")
    for label in ("Per Sales Team", "Per Stage"):
        browser.js(
            "[...document.querySelectorAll('.o_filter_menu .o_menu_item')]"
            f".find(item => item.textContent.trim() === {json.dumps(label)}).click()"
        )
        time.sleep(1)
    browser.js("document.querySelector('.o_searchview_dropdown_toggler').click()")
    browser.wait_for(".o_searchview_facet:not(:has(.o_dropdown_container))")
    browser.shot("crm_stage_time.png")


def shoot_erp(browser, session):
    # A won deal's Orders & Invoicing tab.
    lead = call(
        session,
        "crm.lead",
        "search_read",
        [("name", "ilike", "海德液压 MES 一期")],
        ["id"],
        context={"active_test": False},
    )
    browser.send("Page.navigate", url=f"{BASE}/odoo/crm/{lead[0]['id']}")
    browser.wait_for(".o_notebook_headers")
    click_tab(browser, "Orders & Invoicing")
    browser.wait_for("div[name='ordered_amount']")
    browser.js("document.querySelector('.o_notebook').scrollIntoView()")
    browser.shot("crm_lead_erp.png")

    # A customer's Customer Value tab.
    partner = call(
        session,
        "res.partner",
        "search_read",
        [("value_tier", "=", "top"), ("lifecycle_stage", "=", "formation")],
        ["id"],
        limit=1,
    )
    browser.send("Page.navigate", url=f"{BASE}/odoo/contacts/{partner[0]['id']}")
    browser.wait_for(".o_notebook_headers")
    click_tab(browser, "Customer Value")
    browser.wait_for("div[name='rfm_segment']")
    browser.js("document.querySelector('.o_notebook').scrollIntoView()")
    browser.shot("res_partner_customer_value.png")

    # The value matrix and the customer value pivot.
    browser.send(
        "Page.navigate",
        url=f"{BASE}/odoo/action-crm_360.res_partner_action_customer_value",
    )
    browser.wait_for(".o_pivot table .o_pivot_cell_value")
    browser.shot("res_partner_customer_value_pivot.png")
    browser.js("document.querySelector('.o_switch_view.o_kanban').click()")
    browser.wait_for(".o_kanban_group .o_kanban_record")
    browser.shot("res_partner_value_matrix.png")

    # The sales reconciliation, on its exceptions.
    browser.send(
        "Page.navigate",
        url=f"{BASE}/odoo/action-crm_360.crm_lead_reconciliation_report_action",
    )
    browser.wait_for(".o_list_view .o_data_row")
    browser.shot("crm_lead_reconciliation.png")


def shoot_care(browser, session):
    # The win-back campaign (it has a hold-out group): results, then members.
    campaign = call(
        session,
        "crm.care.campaign",
        "search_read",
        [("holdout_percent", ">", 0)],
        ["id"],
        limit=1,
    )
    browser.send(
        "Page.navigate",
        url=f"{BASE}/odoo/action-crm_360.crm_care_campaign_action/"
        f"{campaign[0]['id']}",
    )
    browser.wait_for(".o_notebook_headers")
    click_tab(browser, "Results")
    browser.wait_for("div[name='roi_percent']")
    browser.js("document.querySelector('.o_notebook').scrollIntoView()")
    browser.shot("crm_care_campaign.png")
    browser.js("document.querySelector(\"button[name='action_view_members']\").click()")
    browser.wait_for(".o_list_view .o_data_row")
    browser.shot("crm_care_campaign_members.png")

    # The campaigns, and the holiday calendar.
    browser.send(
        "Page.navigate", url=f"{BASE}/odoo/action-crm_360.crm_care_campaign_action"
    )
    browser.wait_for(".o_list_view .o_data_row")
    browser.shot("crm_care_campaigns.png")
    browser.send(
        "Page.navigate", url=f"{BASE}/odoo/action-crm_360.crm_care_holiday_action"
    )
    browser.wait_for(".o_list_view .o_data_row")
    browser.shot("crm_care_holidays.png")


def main():
    session = requests.Session()
    rpc(
        session,
        "/web/session/authenticate",
        {
            "db": os.environ.get("CRM360_DEMO_DB", "crm360_demo"),
            "login": "admin",
            "password": "admin",
        },
    )
    browser = Browser()
    try:
        browser.send("Network.enable")
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            url=BASE,
        )
        browser.send("Page.enable")
        only = os.environ.get(
            "CRM360_SHOTS", "cute,competitors,complaints,funnel,erp,care"
        ).split(",")
        if "cute" in only:
            shoot_cute(browser, session)
        if "competitors" in only:
            shoot_competitors(browser, session)
        if "complaints" in only:
            shoot_complaints(browser, session)
        if "funnel" in only:
            shoot_funnel(browser, session)
        if "erp" in only:
            shoot_erp(browser, session)
        if "care" in only:
            shoot_care(browser, session)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
