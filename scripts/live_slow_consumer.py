#!/usr/bin/env python3
"""What a client that stops reading sees from `roomsim serve` (docs/live.md, "Security").

Starts the server, opens a sender and a sleeper in one `relay` room, and has the
sender broadcast 60 KB messages while the sleeper reads nothing, until the
server counts a slow_consumer cut. Then the sleeper waits --wait-s seconds and
reads at --read-kbps; the script reports the bytes of frames it got before the
close frame, the close code (1006 when the stream ended without one) and when
it arrived. Standard library only.

  scripts/live_slow_consumer.py build/cli/roomsim                      # reads again at once
  scripts/live_slow_consumer.py build/cli/roomsim --wait-s 5           # after --close-timeout-ms
  scripts/live_slow_consumer.py build/cli/roomsim --serve-arg=--socket-send-buffer-bytes=0

Prints one JSON object. Exit 2 when the server cannot be started.
"""
import argparse
import json
import os
import socket
import struct
import sys
import time

from live_probe import metric, run, upgrade


def masked_text(payload):
    mask = os.urandom(4)
    n = len(payload)
    header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                              bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                              bytes([0x80 | 127]) + struct.pack(">Q", n))
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def parse_frames(buf):
    """Yields (opcode, payload, consumed) for each whole server frame at the start of buf."""
    pos = 0
    while len(buf) - pos >= 2:
        op = buf[pos] & 0x0F
        n = buf[pos + 1] & 0x7F
        h = 2
        if n == 126:
            if len(buf) - pos < 4:
                return
            n = struct.unpack(">H", buf[pos + 2:pos + 4])[0]
            h = 4
        elif n == 127:
            if len(buf) - pos < 10:
                return
            n = struct.unpack(">Q", buf[pos + 2:pos + 10])[0]
            h = 10
        if len(buf) - pos < h + n:
            return
        yield op, buf[pos + h:pos + h + n], pos + h + n
        pos += h + n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("roomsim")
    ap.add_argument("--wait-s", type=float, default=0, help="silence after the cut before reading again")
    ap.add_argument("--read-kbps", type=float, default=400, help="reading speed once reading again (KB/s)")
    ap.add_argument("--serve-arg", action="append", default=[])
    args = ap.parse_args()

    def measure(server, port):
        sender, sender_status = upgrade(port, "/rooms/relay/slow?user=sender")
        sleeper, sleeper_status = upgrade(port, "/rooms/relay/slow?user=sleeper")
        if not sender_status.startswith("HTTP/1.1 101") or not sleeper_status.startswith("HTTP/1.1 101"):
            raise RuntimeError(f"upgrade refused: {sender_status} / {sleeper_status}")
        sender.setblocking(False)
        frame = masked_text(json.dumps({"type": "broadcast", "payload": {"p": "x" * 60000}}).encode())
        sent = 0
        while metric(port, 'roomsim_rejections_total{reason="slow_consumer"}') == 0 and sent < 2000:
            sender.setblocking(True)
            sender.sendall(frame)
            sender.setblocking(False)
            sent += 1
            try:
                while sender.recv(1 << 20):
                    pass
            except BlockingIOError:
                pass
        cut = time.monotonic()
        time.sleep(args.wait_s)
        sleeper.settimeout(10)
        buf = b""
        data_bytes = 0
        data_frames = 0
        code = None
        reason = ""
        error = ""
        chunk = 16384
        while code is None:
            try:
                got = sleeper.recv(chunk)
            except (ConnectionResetError, socket.timeout) as e:
                error = type(e).__name__
                break
            if not got:
                error = "EOF"
                break
            buf += got
            consumed = 0
            for op, payload, end in parse_frames(buf):
                consumed = end
                if op == 8:
                    code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                    reason = payload[2:].decode(errors="replace")
                    break
                data_bytes += len(payload)
                data_frames += 1
            buf = buf[consumed:]
            time.sleep(chunk / (args.read_kbps * 1000))
        out = {
            "serve_args": args.serve_arg, "wait_s": args.wait_s, "read_kbps": args.read_kbps,
            "messages_sent_until_cut": sent,
            "frames_before_close": data_frames, "bytes_before_close": data_bytes,
            "close_code": code if code is not None else 1006, "close_reason": reason, "stream_end": error,
            "seconds_after_cut": round(time.monotonic() - cut, 2),
            "close_resets_total": metric(port, "roomsim_close_resets_total"),
        }
        return out

    return run(args.roomsim, args.serve_arg, measure)


if __name__ == "__main__":
    sys.exit(main())
