"""Take docs/card.png: the demo card of Moravská strojírna in headless Chromium.

Usage: python3 docs/card_screenshot.py URL DB PARTNER_ID [OUTPUT [TAB]]
against a running server with the demo data (bin/serve), logged in as admin/admin.
TAB is the name of the form's notebook page to open (default crm_card, the
customer card; crm_ledger for docs/ledger.png).
Only talks to the given local server and a local Chromium.
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


def authenticate(url, db):
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(
            {"params": {"db": db, "login": "admin", "password": "admin"}}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"]
    return cookie.split("session_id=")[1].split(";")[0]


def main(url, db, partner_id, output="docs/card.png", tab="crm_card", port=9333):
    session = authenticate(url, db)
    with tempfile.TemporaryDirectory() as profile:
        chromium = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={profile}",
                "--window-size=1440,1300",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/json", timeout=5
                    ) as response:
                        targets = json.load(response)
                    break
                except OSError:
                    time.sleep(0.2)
            page = next(t for t in targets if t["type"] == "page")
            ws = websocket.create_connection(
                page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
            )
            ids = iter(range(1, 1000))

            def call(method, **params):
                message_id = next(ids)
                ws.send(
                    json.dumps({"id": message_id, "method": method, "params": params})
                )
                while True:
                    answer = json.loads(ws.recv())
                    if answer.get("id") == message_id:
                        return answer.get("result", {})

            call("Network.enable")
            call("Network.setCookie", name="session_id", value=session, url=url)
            call(
                "Emulation.setDeviceMetricsOverride",
                width=1440,
                height=1300,
                deviceScaleFactor=1,
                mobile=False,
            )
            call("Page.navigate", url=f"{url}/odoo/contacts/{partner_id}")
            time.sleep(12)
            call(
                "Runtime.evaluate",
                expression=f"document.querySelector(\".o_notebook a[name='{tab}']\")"
                ".click()",
            )
            time.sleep(3)
            shot = call("Page.captureScreenshot", format="png")
            with open(output, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            ws.close()
        finally:
            chromium.terminate()
            chromium.wait(10)


if __name__ == "__main__":
    main(*sys.argv[1:])
