"""The load generator: requests pages one after another and records their timings.

It runs in its own process (`python -m bench.load`, a JSON plan on stdin, JSON results on
stdout) so that the benchmark's own work never competes with the measured requests in one
interpreter. Each timed request of a page follows a request of the floor page as the same
person, so page and floor see the same conditions.
"""

from __future__ import annotations

import json
import sys
import time

import httpx


def _get(client: httpx.Client, url: str, cookie: str) -> dict:
    started = time.perf_counter()
    response = client.get(url, headers={"Cookie": cookie})
    client_ms = (time.perf_counter() - started) * 1000
    server = response.headers.get("X-Server-Time-Ms")
    queries = response.headers.get("X-Query-Count")
    return {
        "status": response.status_code,
        "client_ms": client_ms,
        "server_ms": float(server) if server is not None else None,
        "queries": int(queries) if queries is not None else None,
        "location": response.headers.get("Location", ""),
    }


def run(plan: dict) -> dict:
    floors: dict[str, list[dict]] = {persona: [] for persona in plan["floor_urls"]}
    pages = []
    with httpx.Client(base_url=plan["base_url"], timeout=60, follow_redirects=False) as client:
        for page in plan["pages"]:
            cookie = plan["cookies"][page["persona"]]
            floor_url = plan["floor_urls"][page["persona"]]
            warm = [_get(client, page["url"], cookie) for _ in range(plan["warmup"])]
            for _ in range(plan["warmup"]):
                _get(client, floor_url, cookie)
            samples, floor_samples = [], []
            if any(s["status"] == 200 for s in warm) or not warm:
                for _ in range(plan["requests"]):
                    floor_samples.append(_get(client, floor_url, cookie))
                    samples.append(_get(client, page["url"], cookie))
            else:
                samples = warm  # broken page: report it without hammering it
            floors[page["persona"]].extend(floor_samples)
            pages.append({**page, "samples": samples, "floor_samples": floor_samples})
            _progress(page["name"], samples)
        for persona, samples in floors.items():
            if not samples:  # a persona with no pages still gets its floor measured
                cookie = plan["cookies"][persona]
                for _ in range(plan["warmup"]):
                    _get(client, plan["floor_urls"][persona], cookie)
                samples.extend(
                    _get(client, plan["floor_urls"][persona], cookie)
                    for _ in range(plan["requests"])
                )
    return {"pages": pages, "floors": floors}


def _progress(name: str, samples: list[dict]) -> None:
    ok = sum(1 for s in samples if s["status"] == 200)
    print(f"  measured {name}: {ok}/{len(samples)} OK", file=sys.stderr, flush=True)


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
