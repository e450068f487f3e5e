#!/usr/bin/env python3
"""Start-up of the release binary, the way users start it, side by side with references.

    scripts/build-release.sh
    scripts/benchmark-startup.py [BINARY, default the path build-release.sh prints] [--runs N] [--no-write]

- Plain commands (`codes`, `explain 401`): wall time with hyperfine (warm cache, 5 warm-up
  runs, output to /dev/null), next to `ls /` as the floor of starting any process here.
- Peak RSS of each plain command: GNU time's maximum resident set size, median of the runs.
- First frame of the interface: a 100x30 pty is opened, the program started in it, and the
  time taken until its first screen has been written (the home screen's question for
  statuslab, the menu's last item for `dialog --menu`, the C/ncurses reference). Runs of the two
  are interleaved so both see the same machine. Needs hyperfine and dialog (apt-get install).

The results, with the targets, are written between the `startup results` markers of
docs/BENCHMARKS.md (unless --no-write).
"""
import fcntl
import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import time


def first_frame(argv, marker, timeout=10.0):
    """Seconds from fork to `marker` appearing in what the program wrote to its terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        os.environ.pop("NO_COLOR", None)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen = b""
    elapsed = None
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if marker in seen:
            elapsed = time.perf_counter() - start
            break
    os.kill(pid, 15)
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready or not os.read(fd, 65536):
                break
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        raise SystemExit(f"no first frame from {' '.join(argv)} within {timeout} s")
    return elapsed


def peak_rss_mb(argv, runs):
    values = []
    for _ in range(runs):
        result = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, check=True)
        values.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(values)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = 30
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
        args = [a for a in args if a != str(runs)]
    binary = os.path.abspath(args[0]) if args else subprocess.run(
        [os.path.join(os.path.dirname(os.path.abspath(__file__)), "build-release.sh")], check=True, capture_output=True, text=True).stdout.strip()
    for tool in ("hyperfine", "dialog"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install {tool}")

    print(f"binary: {binary}, {os.cpu_count()} cores, {runs} runs each\n")
    print("plain commands (hyperfine: mean ± σ wall time):")
    subprocess.run(["hyperfine", "-N", "--warmup", "5", "--runs", str(runs), "--style", "basic",
                    "--export-markdown", "/tmp/startup-hyperfine.md",
                    f"{binary} codes", f"{binary} explain 401", "ls /"],
                   stdout=subprocess.DEVNULL, check=True)
    print(open("/tmp/startup-hyperfine.md").read())
    rss = []
    for command in (["codes"], ["explain", "401"]):
        rss.append(peak_rss_mb([binary] + command, runs))
        print(f"peak RSS, statuslab {' '.join(command)}: {rss[-1]:.1f} MB")

    print("\nfirst frame in a 100x30 pty (interleaved):")
    ours, reference = [], []
    for _ in range(runs):
        ours.append(first_frame([binary], b"Which status code should this response carry?"))
        reference.append(first_frame(["dialog", "--menu", "Pick one", "20", "60", "10",
                                      "1", "Reference", "2", "Flowchart", "3", "Quiz", "4", "Quit"], b"Quit"))
    for name, values in (("statuslab", ours), ("dialog --menu", reference)):
        values = sorted(values)
        print(f"  {name:14} median {statistics.median(values) * 1000:6.1f} ms   "
              f"p90 {values[int(len(values) * 0.9) - 1] * 1000:6.1f} ms")
    ratio = statistics.median(ours) / statistics.median(reference)
    print(f"  ratio (medians): {ratio:.2f}x")
    if "--no-write" not in sys.argv:
        write_results(runs, hyperfine_means(), rss, statistics.median(ours), statistics.median(reference), ratio)


def hyperfine_means():
    """Mean wall time in ms of each command, from hyperfine's markdown export."""
    means = {}
    for line in open("/tmp/startup-hyperfine.md"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[1].startswith("`"):
            means[cells[1].strip("`").split("/")[-1]] = float(cells[2].split()[0])
    return means


def write_results(runs, means, rss, ours, reference, ratio):
    def verdict(ok):
        return "met" if ok else "**missed**"
    codes, explain = means.get("statuslab codes"), means.get("statuslab explain 401")
    results = f"""<!-- startup results: written by scripts/benchmark-startup.py -->
Run on {time.strftime('%Y-%m-%d', time.gmtime())}, {runs} runs each, the binary as `scripts/build-release.sh` makes it:

| | measured | target | |
|---|---:|---:|---|
| `statuslab codes`, mean wall | {codes:.1f} ms | ≤ 20 ms | {verdict(codes <= 20)} |
| `statuslab explain 401`, mean wall | {explain:.1f} ms | ≤ 20 ms | {verdict(explain <= 20)} |
| peak RSS, `codes` / `explain 401` | {rss[0]:.1f} / {rss[1]:.1f} MB | ≤ 25 MB | {verdict(max(rss) <= 25)} |
| first frame, median | {ours * 1000:.1f} ms (dialog {reference * 1000:.1f} ms) | ≤ 2× dialog | {ratio:.2f}×, {verdict(ratio <= 2)} |
<!-- /startup results -->"""
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "BENCHMARKS.md")
    text = open(doc).read()
    if "<!-- startup results" in text:
        text = re.sub(r"<!-- startup results.*?<!-- /startup results -->", lambda _: results, text, flags=re.S)
    else:
        text += "\n" + results + "\n"
    open(doc, "w").write(text)
    print(f"\nwritten to {os.path.normpath(doc)}")


if __name__ == "__main__":
    main()
