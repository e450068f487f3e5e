#!/usr/bin/env python3
"""Measures the Lab as a person runs it: the release `statuslab lab` in a pseudo-terminal
(100x30), its built-in server fed from outside, and writes the results into docs/BENCHMARKS.md.

- Peak memory: the Lab's resident set (VmHWM) after 10,000 exchanges from an outside client
  have gone through its server and its live log.
- Key-to-screen latency: while an outside client sends 1,000 requests a second into the log,
  the time from writing a key (switching between two views) to the first byte of the redrawn
  screen, over 200 keys; the median and the 90th percentile.

Loopback only, bounded in time. Usage: scripts/benchmark-lab.py [binary]
"""
import os, pty, re, select, signal, socket, statistics, subprocess, sys, threading, time, fcntl, termios, struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build():
    # The binary users install (scripts/build-release.sh prints its path).
    return subprocess.run([os.path.join(ROOT, "scripts", "build-release.sh")], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def start(binary, state):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "XDG_STATE_HOME": state})
        os.execv(binary, [binary, "lab", "--port", "0"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return pid, fd


def read_until(fd, pattern, timeout=20):
    data = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            data += os.read(fd, 65536)
            match = re.search(pattern, data)
            if match:
                return match, data
    raise SystemExit(f"benchmark-lab: no {pattern!r} on the screen within {timeout}s")


def drain(fd, quiet=0.05):
    while select.select([fd], [], [], quiet)[0]:
        os.read(fd, 65536)


def flood(port, total=None, rate=None, stop=None):
    """Requests to the Lab's server on one keep-alive connection: `total` as fast as it
    answers, or `rate` a second until `stop` is set."""
    request = b"GET /api/profile HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock = socket.create_connection(("127.0.0.1", port))
    sent = 0
    started = time.time()
    while (total is None or sent < total) and not (stop and stop.is_set()):
        sock.sendall(request)
        buffer = b""
        while b"\r\n\r\n" not in buffer or len(buffer) < buffer.index(b"\r\n\r\n") + 4 + int(re.search(rb"Content-Length: (\d+)", buffer).group(1)):
            buffer += sock.recv(65536)
        sent += 1
        if rate:
            ahead = sent / rate - (time.time() - started)
            if ahead > 0:
                time.sleep(ahead)
    sock.close()
    return sent


def peak_rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else build()
    state = subprocess.run(["mktemp", "-d"], capture_output=True, text=True).stdout.strip()
    pid, fd = start(binary, state)
    try:
        match, _ = read_until(fd, rb"127\.0\.0\.1:(\d+)/")
        port = int(match.group(1))
        drain(fd)
        os.write(fd, b"4")  # the live log
        drain(fd, 0.3)
        started = time.time()
        flood(port, total=10_000)
        flooded = time.time() - started
        time.sleep(0.5)
        drain(fd)
        rss = peak_rss(pid)

        stop = threading.Event()
        counter = {}
        load = threading.Thread(target=lambda: counter.setdefault("sent", flood(port, rate=1000, stop=stop)))
        load.start()
        time.sleep(1)
        latencies = []
        views = [b"1", b"4"]
        for index in range(200):
            drain(fd, 0.02)
            began = time.perf_counter()
            os.write(fd, views[index % 2])
            ready, _, _ = select.select([fd], [], [], 2)
            if ready:
                latencies.append((time.perf_counter() - began) * 1000)
                os.read(fd, 65536)
            time.sleep(0.03)
        stop.set()
        load.join()
        under_load = counter.get("sent", 0) / max(time.time() - started - flooded, 1)
    finally:
        os.write(fd, b"q")
        time.sleep(0.5)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    latencies.sort()
    median = statistics.median(latencies)
    p90 = latencies[int(len(latencies) * 0.9)]
    results = f"""<!-- lab results: written by scripts/benchmark-lab.py -->
Run on {time.strftime('%Y-%m-%d', time.gmtime())}: the release `statuslab lab --port 0` in a 100x30 pseudo-terminal, its
built-in server fed by a client outside the Lab on one keep-alive connection.

| measure | result | target |
|---|---|---|
| peak resident memory after 10,000 exchanges through the server and the live log ({flooded:.1f} s) | **{rss:.1f} MB** | ≤ 40 MB |
| key to first redrawn byte, switching views, while 1,000 requests/s go into the log: median | **{median:.1f} ms** | ≤ 16 ms |
| the same, 90th percentile ({len(latencies)} keys) | {p90:.1f} ms | |
<!-- /lab results -->"""
    doc = os.path.join(ROOT, "docs", "BENCHMARKS.md")
    text = open(doc).read()
    if "<!-- lab results" in text:
        text = re.sub(r"<!-- lab results.*?<!-- /lab results -->", lambda _: results, text, flags=re.S)
    else:
        text += "\n## The Lab\n\n" + results + "\n"
    open(doc, "w").write(text)
    print(results)


if __name__ == "__main__":
    main()
