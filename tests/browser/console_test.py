#!/usr/bin/python3
"""The stytch-mock console in a real browser: headless Chromium through
Selenium WebDriver, against the built stytch-mock, with codes sent and
authenticated through the SDK (the stytch-otp example CLI).

Usage: console_test.py --mock STYTCH_MOCK --cli STYTCH_OTP SCENARIO [--screenshot PNG]
Scenarios: live_outbox, copy_and_authenticate, clock_expires, xss_as_text,
foreign_origin_refused, only_local_resources, b2b_organizations, screenshot.
Every wait polls for a condition with a deadline; nothing sleeps for a fixed time.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By

PROJECT_ID = "project-test-00000000-0000-4000-8000-000000000000"
SECRET = "secret-test-mock-0000000000000000000000000000"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_SECONDS = 10
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
# Counts every dialog the page opens, before any of its own scripts run.
DIALOG_TRAP = """
window.__dialogs = 0;
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = function () { window.__dialogs += 1; };
}
"""


# Mocks a scenario started besides the main one.
STOP_AFTER_BROWSER = []


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def wait_for(what, probe, timeout=WAIT_SECONDS):
    """Polls probe() until it returns a true value; fails after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() > deadline:
            raise Failure("timed out waiting for " + what + " (last: " + repr(last) + ")")
        time.sleep(0.05)


class Mock:
    """The built stytch-mock on a free loopback port."""

    def __init__(self, binary):
        self.process = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        first = self.process.stdout.readline().strip()
        second = self.process.stdout.readline().strip()
        check(first.startswith("stytch-mock listening on http://127.0.0.1:"), "mock did not start: " + first)
        self.url = first[len("stytch-mock listening on "):]
        check(second == "stytch-mock console: " + self.url + "_mock/",
              "mock does not print its console URL: " + second)
        self.console = self.url + "_mock/"
        self.origin = self.url.rstrip("/")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def request(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=5) as res:
                return res.status, json.loads(res.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def state(self):
        status, body = self.request("GET", "_mock/state")
        check(status == 200, "GET /_mock/state answered " + str(status))
        return body


class Sdk:
    """Calls through the SDK, by the stytch-otp example CLI."""

    def __init__(self, binary, base_url):
        self.binary = binary
        self.base_url = base_url

    def run(self, *args):
        env = dict(os.environ, STYTCH_PROJECT_ID=PROJECT_ID, STYTCH_SECRET=SECRET)
        env.pop("STYTCH_BASE_URL", None)
        done = subprocess.run([self.binary, *args, "--base-url", self.base_url], env=env, capture_output=True,
                              text=True, timeout=30)
        check(done.returncode == 0, "stytch-otp " + " ".join(args) + " failed: " + done.stderr)
        return json.loads(done.stdout)


class Browser:
    def __init__(self, width=1280, height=900):
        self.profile = tempfile.mkdtemp(prefix="stytch-console-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
                     "--user-data-dir=" + self.profile, "--window-size=%d,%d" % (width, height)):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        options.set_capability("unhandledPromptBehavior", "ignore")
        self.driver = webdriver.Chrome(service=ChromeService(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(WAIT_SECONDS)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_TRAP})

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, url):
        self.driver.get(url)
        wait_for("the console to show the mock's state",
                 lambda: "live" in self.driver.find_element(By.ID, "status").get_attribute("class"))
        # Marks this document: a reload would lose the mark.
        self.driver.execute_script("window.__sameDocument = true;")

    def same_document(self):
        return self.driver.execute_script("return window.__sameDocument === true;")

    def messages(self):
        """The outbox as shown: one dict per visible message, top first."""
        return self.driver.execute_script("""
          return Array.from(document.querySelectorAll('#messages li.message')).filter(li => !li.hidden)
            .map(li => ({
              destination: li.querySelector('.destination').textContent,
              code: li.querySelector('.code').textContent,
              state: li.querySelector('.state').textContent,
              method_id: li.querySelector('.method-id').textContent,
              channel: li.querySelector('.channel').textContent,
              user_agent: (li.querySelector('.user-agent') || {}).textContent,
            }));""")

    def message_for(self, method_id):
        found = [m for m in self.messages() if m["method_id"] == method_id]
        return found[0] if found else None

    def wait_state(self, method_id, state):
        return wait_for("the code for " + method_id + " to show as " + state,
                        lambda: (self.message_for(method_id) or {}).get("state") == state and
                        self.message_for(method_id))

    def page_errors(self):
        """Console messages of level SEVERE (errors, CSP violations, failed loads)."""
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def assert_quiet(self):
        check(self.driver.execute_script("return window.__dialogs;") == 0, "the page opened a dialog")
        try:
            self.driver.switch_to.alert.dismiss()
            raise Failure("an alert is open")
        except NoAlertPresentException:
            pass
        errors = self.page_errors()
        check(not errors, "the browser console has errors: " + json.dumps(errors))


def scenario_live_outbox(mock, sdk, browser, _args):
    browser.open(mock.console)
    check(browser.messages() == [], "a fresh mock shows messages")
    keys = mock.state()["signing_key_count"]
    wait_for("the key rotation control",
             lambda: browser.driver.find_element(By.ID, "rotate-keys").is_displayed())
    browser.driver.find_element(By.ID, "rotate-keys").click()
    wait_for("a new signing key", lambda: mock.state()["signing_key_count"] == keys + 1)
    sent = sdk.run("sms", "login-or-create", "--phone", "+12025550162")
    shown = browser.wait_state(sent["phone_id"], "waiting")
    outbox = mock.state()["messages"]
    check(shown["code"] == outbox[0]["code"], "the page shows another code than the outbox holds")
    check(shown["destination"] == "+12025550162" and shown["channel"] == "SMS", "wrong destination or channel")
    check(browser.same_document(), "the page reloaded to show the code")

    # Newest first, and the filter by destination.
    email = sdk.run("email", "login-or-create", "--email", "ada@example.com")
    browser.wait_state(email["email_id"], "waiting")
    check([m["destination"] for m in browser.messages()] == ["ada@example.com", "+12025550162"],
          "the outbox is not newest first")
    browser.driver.find_element(By.ID, "filter").send_keys("ada@")
    wait_for("the filter to leave only ada@example.com",
             lambda: [m["destination"] for m in browser.messages()] == ["ada@example.com"])
    browser.driver.find_element(By.ID, "filter").clear()
    browser.driver.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'));")
    wait_for("both messages back", lambda: len(browser.messages()) == 2)

    # A second code for the number replaces the first.
    again = sdk.run("sms", "send", "--phone", "+12025550162")
    check(again["phone_id"] == sent["phone_id"], "a second send went to another method")
    wait_for("the first SMS code to show as replaced",
             lambda: [m["state"] for m in browser.messages()] == ["waiting", "waiting", "replaced"])
    browser.assert_quiet()


def scenario_copy_and_authenticate(mock, sdk, browser, _args):
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": mock.origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    browser.open(mock.console)
    sent = sdk.run("email", "login-or-create", "--email", "grace@example.com")
    browser.wait_state(sent["email_id"], "waiting")
    li = browser.driver.find_element(By.CSS_SELECTOR, "#messages li.message")
    li.find_element(By.CSS_SELECTOR, "button.copy").click()
    wait_for("the copy button to report the copy",
             lambda: li.find_element(By.CSS_SELECTOR, "button.copy").get_attribute("data-copied") == "true")
    copied = browser.driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('error: ' + e));")
    check(copied == mock.state()["messages"][0]["code"], "the clipboard holds " + repr(copied))

    login = sdk.run("authenticate", "--method-id", sent["email_id"], "--code", copied, "--session-minutes", "60")
    check(login["user"]["emails"][0]["verified"], "authenticate did not verify the email")
    browser.wait_state(sent["email_id"], "used")
    wait_for("the user to show as verified with an active session", lambda: browser.driver.execute_script("""
        const user = document.querySelector('#user-list li.user[data-user-id="' + arguments[0] + '"]');
        return user !== null && user.querySelector('.emails li[data-verified="true"]') !== null &&
               user.querySelector('.session[data-status="active"]') !== null;""", login["user_id"]))
    check(browser.same_document(), "the page reloaded")
    browser.assert_quiet()


def scenario_clock_expires(mock, sdk, browser, _args):
    browser.open(mock.console)
    sent = sdk.run("sms", "login-or-create", "--phone", "+12025550163", "--expiration", "5")
    browser.wait_state(sent["phone_id"], "waiting")
    before = mock.state()["now_unix"]
    seconds = browser.driver.find_element(By.ID, "advance-seconds")
    seconds.clear()
    seconds.send_keys("240")
    browser.driver.find_element(By.ID, "advance").click()
    wait_for("the control to report the clock advanced",
             lambda: browser.driver.find_element(By.ID, "control-result").text == "Clock advanced by 240 s.")
    check(browser.message_for(sent["phone_id"])["state"] == "waiting", "a 5-minute code expired after 4 minutes")
    check(mock.state()["now_unix"] - before >= 240, "the mock's clock did not move")
    seconds.clear()
    seconds.send_keys("61")
    browser.driver.find_element(By.ID, "advance").click()
    browser.wait_state(sent["phone_id"], "expired")
    # The SDK agrees: the code no longer authenticates.
    env = dict(os.environ, STYTCH_PROJECT_ID=PROJECT_ID, STYTCH_SECRET=SECRET)
    code = mock.state()["messages"][0]["code"]
    done = subprocess.run([sdk.binary, "authenticate", "--method-id", sent["phone_id"], "--code", code,
                           "--base-url", sdk.base_url], env=env, capture_output=True, text=True, timeout=30)
    check(done.returncode == 4 and "unable_to_auth_otp_code" in done.stderr, "an expired code authenticated")

    # Reset, from the page, empties the outbox.
    browser.driver.find_element(By.ID, "reset").click()
    wait_for("the outbox to be empty after reset", lambda: browser.messages() == [])
    check(mock.state()["messages"] == [], "reset left messages")
    # Message ids start again after a reset; the page shows the new code, not the old one.
    again = sdk.run("sms", "login-or-create", "--phone", "+12025550163")
    new_code = mock.state()["messages"][0]["code"]
    wait_for("the new code after reset", lambda: [(m["method_id"], m["code"], m["state"]) for m in browser.messages()]
             == [(again["phone_id"], new_code, "waiting")])
    browser.assert_quiet()


def scenario_xss_as_text(mock, sdk, browser, _args):
    browser.open(mock.console)
    email = XSS_SCRIPT + "@example.com"
    sent = sdk.run("email", "login-or-create", "--email", email, "--user-agent", XSS_IMG, "--ip", XSS_SCRIPT)
    sms = sdk.run("sms", "login-or-create", "--phone", "+12025550164", "--user-agent", XSS_SCRIPT)
    # An address may hold no space: the same markup with slashes instead.
    img_email = XSS_IMG.replace(" ", "/") + "@example.com"
    other = sdk.run("email", "login-or-create", "--email", img_email)
    code = [m for m in mock.state()["messages"] if m["method_id"] == sent["email_id"]][0]["code"]
    sdk.run("authenticate", "--method-id", sent["email_id"], "--code", code, "--session-minutes", "60",
            "--claims", json.dumps({"note": XSS_IMG, XSS_SCRIPT: XSS_SCRIPT}))
    browser.wait_state(sent["email_id"], "used")
    browser.wait_state(sms["phone_id"], "waiting")
    shown = browser.message_for(sent["email_id"])
    check(shown["destination"] == email, "the email shows as " + repr(shown["destination"]))
    check(shown["user_agent"] == XSS_IMG, "the user agent shows as " + repr(shown["user_agent"]))
    check(browser.message_for(sms["phone_id"])["user_agent"] == XSS_SCRIPT, "the SMS user agent is not literal")
    check(browser.wait_state(other["email_id"], "waiting")["destination"] == img_email,
          "the second email is not shown literally")
    ips = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('#messages .ip-address')).map(e => e.textContent);")
    check(ips == [XSS_SCRIPT], "the ip_address attribute shows as " + repr(ips))
    claims = wait_for("the session's custom claims", lambda: browser.driver.execute_script(
        "const c = document.querySelector('.claims code'); return c && c.textContent;"))
    check(XSS_IMG.replace('"', '\\"') in claims and XSS_SCRIPT in claims, "claims show as " + repr(claims))
    emails = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('#user-list .emails .value')).map(e => e.textContent);")
    check(email in emails and img_email in emails, "the users' emails show as " + repr(emails))
    # The strings are in the page as text, and nothing they spell exists as markup.
    body_text = browser.driver.find_element(By.TAG_NAME, "body").text
    check(XSS_SCRIPT in body_text and XSS_IMG in body_text, "the XSS strings are not shown literally")
    injected = browser.driver.execute_script("""
        return {
          images: document.querySelectorAll('img').length,
          scripts: Array.from(document.scripts).map(s => s.src),
          handlers: document.querySelectorAll('[onerror]').length,
        };""")
    check(injected == {"images": 0, "scripts": [mock.url + "_mock/console.js"], "handlers": 0},
          "markup from the data reached the page: " + json.dumps(injected))
    check(browser.same_document(), "the page reloaded")
    browser.assert_quiet()


def scenario_foreign_origin_refused(mock, sdk, browser, _args):
    sdk.run("sms", "login-or-create", "--phone", "+12025550165")
    before = mock.state()
    for path, body in (("_mock/reset", {}), ("_mock/clock", {"advance_seconds": 3600})):
        for origin in ("http://evil.example", "null", "http://127.0.0.1:1", mock.origin.replace("http:", "https:")):
            status, answer = mock.request("POST", path, body, {"Origin": origin})
            check(status == 403 and answer.get("error_type") == "forbidden_origin",
                  "POST /%s from Origin %s answered %d" % (path, origin, status))
        status, _ = mock.request("POST", path, body, {"Sec-Fetch-Site": "cross-site"})
        check(status == 403, "POST /%s marked cross-site answered %d" % (path, status))
    after = mock.state()
    check(after["messages"] == before["messages"] and after["now_unix"] - before["now_unix"] < 60,
          "a refused control changed the mock")
    status, _ = mock.request("GET", "_mock/state", headers={"Host": "rebound.example:" + mock.url.split(":")[-1]})
    check(status == 403, "the state was served to a foreign Host (DNS rebinding), status %d" % status)

    # From the mock's own page the same controls work: the browser sends its Origin.
    browser.open(mock.console)
    browser.driver.find_element(By.ID, "advance").click()
    wait_for("the page's own clock control to work",
             lambda: browser.driver.find_element(By.ID, "control-result").text == "Clock advanced by 60 s.")
    # A page of another origin (another loopback port) is refused by the mock.
    other = Mock(mock.process.args[0])
    STOP_AFTER_BROWSER.append(other)  # stopped once the browser has closed its connections to it
    # A plain JSON document of that origin: no CSP of the console's to stop the request.
    browser.driver.get(other.url + "_mock/messages")
    browser.driver.get_log("performance")  # only what follows counts
    browser.driver.execute_async_script("""
        const done = arguments[1];
        fetch(arguments[0] + '_mock/reset', {method: 'POST', body: '{}', mode: 'no-cors'})
          .then(() => done(), () => done());""", mock.url)
    # The page cannot read the answer; the browser's network log shows the request was
    # made and what the mock answered.
    events = []

    def answers():
        events.extend(json.loads(e["message"])["message"] for e in browser.driver.get_log("performance"))
        sent = {e["params"]["requestId"] for e in events if e["method"] == "Network.requestWillBeSent" and
                e["params"]["request"]["url"] == mock.url + "_mock/reset"}
        return [e["params"].get("statusCode") for e in events
                if e["method"] == "Network.responseReceivedExtraInfo" and e["params"]["requestId"] in sent]

    wait_for("the browser to log the mock's answer to the foreign page", answers)
    check(answers() == [403], "the mock's answers to the foreign page: " + json.dumps(answers()))
    check(len(mock.state()["messages"]) == len(before["messages"]), "a foreign page reset the mock")


def scenario_only_local_resources(mock, sdk, browser, _args):
    sdk.run("sms", "login-or-create", "--phone", "+12025550166")
    browser.open(mock.console)
    wait_for("a message", lambda: len(browser.messages()) == 1)
    resources = browser.driver.execute_script("""
        return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
          .map(e => e.name);""")
    check(len(resources) >= 3, "too few resources seen: " + json.dumps(resources))
    foreign = [r for r in resources if not r.startswith(mock.url)]
    check(not foreign, "the page loaded resources from elsewhere: " + json.dumps(foreign))
    names = {r[len(mock.url):].split("?")[0] for r in resources}
    check({"_mock/", "_mock/console.js", "_mock/console.css", "_mock/state"} <= names,
          "the page's own resources are missing: " + json.dumps(sorted(names)))
    with urllib.request.urlopen(mock.console, timeout=5) as res:
        policy = res.headers["Content-Security-Policy"] or ""
        check("default-src 'none'" in policy and "script-src 'self'" in policy and "http" not in policy,
              "weak Content-Security-Policy: " + policy)
        check(res.headers["X-Content-Type-Options"] == "nosniff", "no nosniff on the page")
    # Readable on a phone: nothing wider than the screen.
    browser.driver.set_window_size(390, 844)
    wait_for("the phone-sized layout to fit", lambda: browser.driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth;"))
    if os.environ.get("STYTCH_CONSOLE_PHONE_SCREENSHOT"):
        browser.driver.save_screenshot(os.environ["STYTCH_CONSOLE_PHONE_SCREENSHOT"])
    browser.assert_quiet()


def scenario_b2b_organizations(mock, _sdk, browser, _args):
    """Seeded organizations and members, then an email login through the B2B
    API: the page shows the organization, the member and the member session."""
    status, seeded = mock.request("POST", "_mock/b2b/seed", {"organizations": [
        {"organization_name": "Acme <b>Corp</b>", "organization_slug": "acme.io",
         "members": [{"email_address": "lee@acme.io", "name": XSS_IMG, "roles": ["stytch_admin"]}]}]})
    check(status == 200, "seed answered " + str(status) + ": " + json.dumps(seeded))
    browser.open(mock.console)
    wait_for("the seeded organization", lambda: browser.driver.execute_script(
        "return document.querySelector('#organization-list li.organization[data-slug=\"acme.io\"]') !== null;"))
    check(browser.driver.find_element(By.ID, "no-organizations").is_displayed() is False,
          "the empty note stays shown beside an organization")
    auth = {"Authorization": "Basic " + base64.b64encode((PROJECT_ID + ":" + SECRET).encode()).decode()}
    status, _ = mock.request("POST", "v1/b2b/otps/email/login_or_signup",
                             {"organization_id": "acme.io", "email_address": "lee@acme.io"}, auth)
    check(status == 200, "login_or_signup answered " + str(status))
    code = mock.state()["messages"][0]["code"]
    status, login = mock.request("POST", "v1/b2b/otps/email/authenticate",
                                 {"organization_id": "acme.io", "email_address": "lee@acme.io", "code": code}, auth)
    check(status == 200 and login["member_authenticated"], "authenticate failed: " + json.dumps(login))
    session_id = login["member_session"]["member_session_id"]
    wait_for("the member session", lambda: browser.driver.execute_script("""
        const li = document.querySelector('li.member-session[data-status="active"] .session-id');
        return li !== null && li.textContent === arguments[0];""", session_id))
    member = browser.driver.execute_script("""
        const m = document.querySelector('li.member');
        return {email: m.querySelector('.member-email').textContent, name: m.querySelector('.member-name').textContent,
                badges: Array.from(m.querySelectorAll('.badge')).map(b => b.textContent),
                org: document.querySelector('li.organization .organization-name').textContent};""")
    check(member["email"] == "lee@acme.io", "member email shown: " + json.dumps(member))
    check(member["name"] == XSS_IMG and member["org"] == "Acme <b>Corp</b>", "names not shown as text: " +
          json.dumps(member))
    check("admin" in member["badges"] and "email verified" in member["badges"], "badges: " + json.dumps(member))
    browser.assert_quiet()


def scenario_screenshot(mock, sdk, browser, args):
    check(args.screenshot, "--screenshot PNG is needed")
    first = sdk.run("sms", "login-or-create", "--phone", "+12025550162", "--user-agent", "Mozilla/5.0 (X11; Linux)")
    code = mock.state()["messages"][0]["code"]
    sdk.run("authenticate", "--method-id", first["phone_id"], "--code", code, "--session-minutes", "60",
            "--claims", json.dumps({"plan": "pro"}))
    sdk.run("email", "login-or-create", "--email", "ada@example.com")
    sdk.run("whatsapp", "login-or-create", "--phone", "+447700900123")
    sdk.run("whatsapp", "send", "--phone", "+447700900123")
    browser.open(mock.console)
    wait_for("four messages", lambda: len(browser.messages()) == 4)
    wait_for("the session", lambda: browser.driver.find_elements(By.CSS_SELECTOR, ".session"))
    browser.assert_quiet()
    check(browser.driver.save_screenshot(args.screenshot), "the screenshot was not written")
    print("screenshot written to " + args.screenshot)


SCENARIOS = {name[len("scenario_"):]: f for name, f in globals().items() if name.startswith("scenario_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mock", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--screenshot", default=os.environ.get("STYTCH_CONSOLE_SCREENSHOT"))
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            print("missing " + path + ": scripts/install-deps.sh installs chromium and chromium-driver",
                  file=sys.stderr)
            return 1
    mock = Mock(args.mock)
    browser = None
    started = time.monotonic()
    try:
        browser = Browser()
        SCENARIOS[args.scenario](mock, Sdk(args.cli, mock.url), browser, args)
    except Failure as failure:
        print("FAIL " + args.scenario + ": " + str(failure), file=sys.stderr)
        return 1
    finally:
        if browser:
            browser.quit()
        for other in STOP_AFTER_BROWSER:
            other.stop()
        mock.stop()
    print("ok %s (%.1f s)" % (args.scenario, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
