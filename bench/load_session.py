#!/usr/bin/env python3
"""Signs in to a running `sikkerby serve --demo` as a user and prepares what the load benchmark
requests: prints shell assignments COOKIE=... and CITIZEN=... (a citizen of the user's centre
whose page the session has declared a purpose for, as a caseworker does before reading it).

Usage: load_session.py BASE_URL USERNAME PASSWORD
Standard library only, so the benchmark needs nothing beyond Python and wrk.
"""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request


def main() -> None:
    base, username, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str) -> str:
        with opener.open(base + path) as response:
            return response.read().decode()

    def post(path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with opener.open(base + path, data=data) as response:
            return response.read().decode()

    login = get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    post("/login", {"username": username, "password": password, "csrf_token": token, "next": "/"})
    worklist = get("/opfoelgninger")
    match = re.search(r'href="/borgere/(\d+)', worklist) or re.search(r'href="/borgere/(\d+)', get("/borgere?q=a"))
    if not match:
        sys.exit("load_session: no citizen link on the worklist or the search page")
    citizen = match.group(1)
    purpose_form = get(f"/borgere/{citizen}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', purpose_form).group(1)
    page = post(f"/borgere/{citizen}/formaal", {"formaal": "sagsbehandling", "csrf_token": csrf})
    if "formaal" in page and "<h1" in page and 'name="formaal"' in page:
        sys.exit("load_session: the purpose was not accepted")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    print(f"COOKIE='{cookie}'")
    print(f"CITIZEN={citizen}")


if __name__ == "__main__":
    main()
