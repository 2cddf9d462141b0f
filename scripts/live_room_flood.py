#!/usr/bin/env python3
"""Room-instance flood against `roomsim serve` (docs/live.md, "Security").

Starts the server, keeps one WebSocket session open in chat/keep, then sends
N GETs for N distinct rooms on one keep-alive connection and reports the
server's RSS (VmRSS) and its roomsim_rooms gauge: before, right after the
flood, and once the idle period has passed. Standard library only.

  scripts/live_room_flood.py build/cli/roomsim                       # 20,000 plain GETs (400)
  scripts/live_room_flood.py build/cli/roomsim --suffix /info --with-token   # GETs the room answers 200
  scripts/live_room_flood.py build/cli/roomsim --serve-arg=--room-idle-timeout-ms=5000

Prints one JSON object. Exit 2 when the server cannot be started.
"""
import argparse
import http.client
import json
import sys
import time

from live_probe import metric, run, upgrade


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("roomsim", help="path of the roomsim binary")
    ap.add_argument("--rooms", type=int, default=20000, help="distinct rooms to GET (20000)")
    ap.add_argument("--kind", default="chat")
    ap.add_argument("--suffix", default="", help="path after /rooms/<kind>/<id>, e.g. /info")
    ap.add_argument("--with-token", action="store_true", help="append ?token= (a /dev/token) to every GET")
    ap.add_argument("--idle-wait-s", type=float, default=35, help="wait after the flood (idle period + margin)")
    ap.add_argument("--serve-arg", action="append", default=[], help="extra `roomsim serve` argument (repeatable)")
    args = ap.parse_args()

    def measure(server, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/dev/token?user=keeper")
        token = json.loads(conn.getresponse().read())["token"]
        keeper, keeper_status = upgrade(port, f"/rooms/{args.kind}/keep?token={token}")
        time.sleep(1)
        out = {"rooms_requested": args.rooms, "path": f"/rooms/{args.kind}/<id>{args.suffix}",
               "keeper_session": keeper_status,
               "before": {"rss_kib": rss_kib(server.pid), "rooms": metric(port, "roomsim_rooms")}}
        statuses = {}
        t0 = time.monotonic()
        for i in range(args.rooms):
            query = f"?token={token}" if args.with_token else ""
            conn.request("GET", f"/rooms/{args.kind}/flood-{i}{args.suffix}{query}")
            r = conn.getresponse()
            r.read()
            statuses[r.status] = statuses.get(r.status, 0) + 1
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        out["flood_s"] = round(time.monotonic() - t0, 2)
        out["statuses"] = statuses
        out["after_flood"] = {"rss_kib": rss_kib(server.pid), "rooms": metric(port, "roomsim_rooms"),
                              "evicted_total": metric(port, "roomsim_rooms_evicted_total")}
        time.sleep(args.idle_wait_s)
        out["after_idle"] = {"waited_s": args.idle_wait_s, "rss_kib": rss_kib(server.pid),
                             "rooms": metric(port, "roomsim_rooms"),
                             "evicted_total": metric(port, "roomsim_rooms_evicted_total")}
        out["rss_growth_after_idle_mib"] = round((out["after_idle"]["rss_kib"] - out["before"]["rss_kib"]) / 1024, 1)
        keeper.close()
        return out

    return run(args.roomsim, ["--dev", "--synchronous", "NORMAL"] + args.serve_arg, measure)


if __name__ == "__main__":
    sys.exit(main())
