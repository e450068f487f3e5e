#!/usr/bin/env python3
"""Measures a workshop room as an instructor runs it: the release `statuslab room` in a
pseudo-terminal (120x40, the Room screen), its server loaded from outside by a simulated room of
learners on loopback, and writes the results into docs/BENCHMARKS.md.

The load (a process of its own, so that its threads never delay the key timings): LEARNERS
learners join through `POST /room/join` (at most 5 a second, the room's limit), then each sends
one request a second (jittered, on a keep-alive connection of its own) for MINUTES, working
through the solutions of content/exercises/*.exercise in order (the `send:` lines: Basic,
Bearer, Digest as curl --digest answers it, a token from /oauth/token, the login form's cookie,
a Digest nonce kept until it is stale) and starting again from the first once through.

- Record lag (what the grid shows is the room's record): for one request per learner about
  every ten seconds, marked with a header of its own, the time from its response to the first
  poll of that learner's feed (`/l/KEY/room/feed`, updated in the same step as the record) that
  contains it. Polls every 20 ms for half a second, then every 100 ms, so that they stay in
  the learner's budget; each poll's time is taken when its answer has arrived (an upper bound).
  The grid itself reads the record every 200 ms (RoomWatcher.interval) and then draws a frame:
  the grid's lag is at most record lag + 200 ms + one frame.
- Key-to-screen: while the load runs, Tab (grid -> misconceptions -> messages) pressed 200 times,
  0.25-0.5 s apart or spread over the run: the time from writing the key to the first byte the
  room writes back (as scripts/benchmark-lab.py measures), and to the new view's own text.
- Memory: the room's peak resident set (VmHWM) at the end, and VmRSS sampled each second.

Loopback only, bounded in time. Exits 1 when a target is missed (after writing the results).
Usage: scripts/benchmark-room.py [--minutes 10] [--learners 100] [--binary PATH] [--no-write]
"""
import argparse, base64, fcntl, hashlib, http.client, json, multiprocessing, os, pty, random, re, resource, select
import shutil, signal, statistics, struct, subprocess, sys, tempfile, termios, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = "X-Bench-Sample"
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"}
WATCHER_MS = 200  # RoomWatcher.interval: how often the Room screen reads the record
TARGET_GRID_MS, TARGET_KEY_MS, TARGET_MB = 1000, 16, 80
COLUMNS, LINES = 120, 40


def build():
    # The binary users install (scripts/build-release.sh prints its path).
    return subprocess.run([os.path.join(ROOT, "scripts", "build-release.sh")], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


# MARK: The exercises' solutions

def exercises():
    """Each exercise's steps, in order, as the requests that solve them."""
    folder = os.path.join(ROOT, "content", "exercises")
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".exercise"):
            continue
        fields, steps = {}, []
        for line in open(os.path.join(folder, name), encoding="utf-8"):
            match = re.match(r"([a-z-]+):\s?(.*)$", line.rstrip("\n"))
            if not match:
                continue  # a continuation line of prose, or a blank
            key, value = match.groups()
            if key == "step":
                steps.append({"label": value, "headers": [], "body": None, "credentials": None, "send": None})
            elif not steps:
                fields[key] = value
            elif key == "send":
                method, target = value.split(" ", 1)
                steps[-1]["send"] = (method, target.strip())
            elif key == "send-header":
                header, header_value = value.split(":", 1)
                steps[-1]["headers"].append((header.strip(), header_value.strip()))
            elif key == "send-body":
                steps[-1]["body"] = value
            elif key == "send-credentials":
                steps[-1]["credentials"] = value.split(" ", 1)
        steps = [step for step in steps if step["send"]]
        if steps:
            found.append({"id": fields.get("exercise", name), "order": int(fields.get("order", 0)), "steps": steps})
    found.sort(key=lambda exercise: exercise["order"])
    return found


def challenge_parameters(header):
    return {key.lower(): value.strip('"') for key, value in re.findall(r'([\w-]+)=("[^"]*"|[^,\s]+)', header)}


def digest_answer(challenge, method, uri, user, password):
    """The Authorization value answering a Digest challenge (RFC 7616 §3.4), as curl --digest makes it."""
    algorithm = challenge.get("algorithm", "MD5")
    hash_name = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}[algorithm.upper()]
    digest = lambda text: hashlib.new(hash_name, text.encode()).hexdigest()
    cnonce = "%016x" % random.getrandbits(64)
    ha1 = digest(f"{user}:{challenge['realm']}:{password}")
    ha2 = digest(f"{method}:{uri}")
    response = digest(f"{ha1}:{challenge['nonce']}:00000001:{cnonce}:auth:{ha2}")
    answer = (f'Digest username="{user}", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", uri="{uri}", '
              f'algorithm={algorithm}, response="{response}", qop=auth, nc=00000001, cnonce="{cnonce}"')
    if "opaque" in challenge:
        answer += f', opaque="{challenge["opaque"]}"'
    return answer


# MARK: The load (its own process)

class Over(Exception):
    """The run is over."""


class Learner:
    """One learner: a keep-alive connection, one request a second, the exercises in order."""

    def __init__(self, load, name, key, seed):
        self.load, self.name, self.key = load, name, key
        self.base = f"/l/{key}"
        self.random = random.Random(seed)
        self.connection = None
        self.after = 0          # the newest exchange number this learner's feed has shown
        self.old_nonce = None   # (challenge, when): a Digest nonce kept for the stale-nonce exercise
        self.cookies = {}
        self.next_sample = time.monotonic() + self.random.uniform(0, load.sample_every)
        self.next_feed = None
        self.due = None         # when the next request goes

    # One exchange on the learner's connection (reconnecting once if the server closed it).
    def exchange(self, method, target, headers=(), body=None):
        headers = dict(headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.load.port, timeout=30)
                self.connection.request(method, target, body=body.encode() if body is not None else None, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.will_close:
                    self.connection.close()
                    self.connection = None
                return response, data
            except (OSError, http.client.HTTPException):
                if self.connection:
                    self.connection.close()
                self.connection = None
                if attempt:
                    raise

    def paced(self):
        """Waits for this learner's next second (jittered); False when the run is over."""
        now = time.monotonic()
        if self.due is None or self.due < now - 1:
            self.due = now  # behind (a long lag sample): go on from now rather than burst
        while True:
            if self.load.stop.is_set():
                return False
            now = time.monotonic()
            if self.next_feed is not None and self.next_feed <= min(self.due, now):
                self.feed()  # StatusLab's own poll of the learner's feed (--feeds)
                self.next_feed += 1.0
                continue
            wait = min(self.due, self.next_feed if self.next_feed is not None else self.due) - now
            if wait <= 0:
                break
            self.load.stop.wait(wait)
        self.due += self.random.uniform(0.75, 1.25)
        return True

    def feed(self):
        response, data = self.exchange("GET", f"{self.base}/room/feed?after={self.after}")
        self.load.count(response.status, feed=True)
        if response.status != 200:
            return None
        feed = json.loads(data)
        if feed["exchanges"]:
            self.after = max(self.after, max(exchange["number"] for exchange in feed["exchanges"]))
        return feed

    def send(self, method, path, headers=(), body=None):
        """One request of the run, a second after the last: the learner's own."""
        if not self.paced():
            raise Over
        headers = list(headers)
        sample = None
        # A method NIO's parser does not know (BREW) is recorded without its header fields (and,
        # before 2026-12-03, under no learner's URL): the marker could not be found, so no sample.
        if time.monotonic() >= self.next_sample and method in KNOWN_METHODS:
            sample = f"{self.key}-{self.load.sequence()}"
            headers.append((MARKER, sample))
            self.next_sample = time.monotonic() + self.load.sample_every * self.random.uniform(0.8, 1.2)
        response, data = self.exchange(method, self.base + path, headers, body)
        answered = time.monotonic()
        self.load.count(response.status)
        for field, value in response.getheaders():
            if field.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            elif field.lower() == "www-authenticate" and self.old_nonce is None and value.startswith("Digest") and "algorithm=MD5" in value:
                self.old_nonce = (challenge_parameters(value), time.monotonic())
        if sample:
            self.measure(sample, answered)
        return response, data

    def measure(self, sample, answered):
        """The time from the sample's answer to the first feed poll that holds it."""
        started = answered
        polls = 0
        while True:
            feed = self.feed()
            polls += 1
            seen = time.monotonic()
            if feed and any([MARKER, sample] in exchange["requestHeaders"] for exchange in feed["exchanges"]):
                self.load.lag((seen - answered) * 1000, polls)
                return
            if seen - started > self.load.give_up or self.load.stop.is_set() and seen - started > 2:
                self.load.lag(None, polls)
                return
            pause = 0.02 if seen - started < 0.5 else 0.1
            time.sleep(max(0.0, pause - (time.monotonic() - seen)))

    def digest_uri(self, path):
        return path if self.load.strip_digest_uri.is_set() else self.base + path

    def step(self, step):
        method, path = step["send"]
        headers, body = list(step["headers"]), step["body"]
        credentials = step["credentials"] or [""]
        kind, argument = credentials[0], credentials[1] if len(credentials) > 1 else ""
        if kind == "basic":
            headers.append(("Authorization", "Basic " + base64.b64encode(argument.encode()).decode()))
        elif kind == "header":
            headers.append(("Authorization", argument))
        elif kind == "token":
            account, scope = argument.split(" ", 1)
            user, password = account.split(":", 1)
            form = f"grant_type=password&username={user}&password={password}&scope={scope}"
            _, data = self.send("POST", "/oauth/token", [("Content-Type", "application/x-www-form-urlencoded")], form)
            try:
                headers.append(("Authorization", "Bearer " + json.loads(data)["access_token"]))
            except (ValueError, KeyError):
                pass
        elif kind == "form":
            user, password = argument.split(":", 1)
            self.send("POST", "/app/login", [("Content-Type", "application/x-www-form-urlencoded")], f"user={user}&password={password}")
        elif kind == "digest":
            user, password = argument.split(":", 1)
            response, _ = self.send(method, path, headers, body)
            challenge = response.getheader("WWW-Authenticate") or ""
            if response.status != 401 or not challenge.lower().startswith("digest"):
                return
            parameters = challenge_parameters(challenge)
            answer = digest_answer(parameters, method, self.digest_uri(path), user, password)
            response, data = self.send(method, path, headers + [("Authorization", answer)], body)
            if response.status == 400 and not self.load.strip_digest_uri.is_set():
                # Builds before 2026-12-03 compared uri= with the target without /l/KEY, where curl
                # --digest and the Lab sign the whole one: answer as that room wants, and say so.
                self.load.strip_digest_uri.set()
                answer = digest_answer(parameters, method, self.digest_uri(path), user, password)
                self.send(method, path, headers + [("Authorization", answer)], body)
            return
        elif kind == "stale-digest":
            user, password = argument.split(":", 1)
            challenge, _ = self.old_nonce
            headers.append(("Authorization", digest_answer(challenge, method, self.digest_uri(path), user, password)))
        self.send(method, path, headers, body)

    def stale_ready(self):
        return self.old_nonce is not None and time.monotonic() - self.old_nonce[1] > 65

    def run(self):
        if self.load.feeds:
            self.next_feed = time.monotonic() + self.random.uniform(0, 1)
        # A step that needs a stale nonce waits, while the laps go on, until the kept one is.
        pending = None
        try:
            while True:  # laps through the exercises
                for exercise in self.load.exercises:
                    self.cookies = {}
                    if pending and self.stale_ready():
                        self.step(pending)
                        pending = None
                    for step in exercise["steps"]:
                        if (step["credentials"] or [""])[0] == "stale-digest" and not self.stale_ready():
                            pending = step
                            continue
                        self.step(step)
        except Over:
            pass
        except Exception as error:  # a learner that fails is a result, not a crash of the run
            self.load.failed(f"{self.name}: {error!r}")
        finally:
            if self.connection:
                self.connection.close()


class Load:
    def __init__(self, port, code, learners, minutes, feeds, pipe):
        self.port, self.code, self.learners, self.minutes, self.feeds = port, code, learners, minutes, feeds
        self.stop, self.pipe = threading.Event(), pipe
        self.exercises = exercises()
        self.sample_every = 10.0
        self.give_up = 10.0
        self.strip_digest_uri = threading.Event()
        self.lock = threading.Lock()
        self.statuses, self.feed_statuses = {}, {}
        self.lags, self.unseen, self.polls, self.failures = [], 0, 0, []
        self.serial = 0
        self.requests_in_window = None

    def sequence(self):
        with self.lock:
            self.serial += 1
            return self.serial

    def count(self, status, feed=False):
        with self.lock:
            table = self.feed_statuses if feed else self.statuses
            table[status] = table.get(status, 0) + 1

    def lag(self, milliseconds, polls):
        with self.lock:
            self.polls += polls
            if milliseconds is None:
                self.unseen += 1
            else:
                self.lags.append(milliseconds)

    def failed(self, text):
        with self.lock:
            self.failures.append(text)

    def join(self, name):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        credentials = base64.b64encode(f"{name}:{self.code}".encode()).decode()
        try:
            for _ in range(20):
                connection.request("POST", "/room/join", headers={"Authorization": "Basic " + credentials, "Accept": "application/json"})
                response = connection.getresponse()
                data = response.read()
                if response.status == 201:
                    return json.loads(data)["key"]
                if response.status != 429:
                    raise RuntimeError(f"join {name}: {response.status} {data[:200]!r}")
                time.sleep(float(response.getheader("Retry-After") or 1))
            raise RuntimeError(f"join {name}: still refused")
        finally:
            connection.close()

    def run(self):
        threads, learners = [], []
        began = time.monotonic()
        for index in range(self.learners):
            # At most 5 joins a second: the room's own limit for the whole room.
            time.sleep(max(0.0, began + index * 0.21 - time.monotonic()))
            name = f"learner{index + 1:03d}"
            learner = Learner(self, name, self.join(name), seed=index)
            learners.append(learner)
            thread = threading.Thread(target=learner.run, daemon=True)
            thread.start()
            threads.append(thread)
        joined = time.monotonic()
        cpu_before = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        with self.lock:
            before = sum(self.statuses.values())
        self.pipe.send({"joined": joined - began})
        # The main process may keep the load going a little longer (for its keys): it says when.
        self.pipe.poll(self.minutes * 60)
        try:
            self.pipe.recv()
        except EOFError:
            return  # the main process is gone
        ended = time.monotonic()
        with self.lock:
            during = sum(self.statuses.values()) - before
        self.stop.set()
        for thread in threads:
            thread.join(15)
        with self.lock:
            self.pipe.send({"statuses": self.statuses, "feed_statuses": self.feed_statuses, "lags": self.lags,
                            "unseen": self.unseen, "polls": self.polls, "failures": self.failures[:20],
                            "failed": len(self.failures), "window": ended - joined, "requests": during,
                            "strip_digest_uri": self.strip_digest_uri.is_set(),
                            "keys": {learner.name: learner.key for learner in learners},
                            "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu_before})


def run_load(port, code, learners, minutes, feeds, pipe, pty_fd):
    os.close(pty_fd)
    try:
        Load(port, code, learners, minutes, feeds, pipe).run()
    except Exception as error:
        pipe.send({"error": repr(error)})


# MARK: The room's screen

ESCAPES = re.compile(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()*+][0-~]|\x1b[ -/]*[0-~]")


def plain(data):
    return ESCAPES.sub(b"", data)


def start(binary, home, state):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "XDG_STATE_HOME": home})
        os.chdir(home)
        os.execv(binary, [binary, "room", "--port", "0", "--state", state])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    return pid, fd


def pump(fd, seconds):
    """Reads what the room writes for `seconds` (a terminal must keep reading)."""
    data = b""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return data
        if select.select([fd], [], [], left)[0]:
            try:
                data += os.read(fd, 65536)
            except OSError:
                return data


def read_until(fd, pattern, timeout=30):
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            data += os.read(fd, 65536)
            match = re.search(pattern, plain(data))
            if match:
                return match
    raise SystemExit(f"benchmark-room: no {pattern!r} on the screen within {timeout}s; it showed:\n{plain(data)[-2000:].decode(errors='replace')}")


def drain(fd, quiet=0.02, limit=2.0):
    """Reads until the room has been quiet for `quiet` seconds (or `limit` has passed)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and select.select([fd], [], [], quiet)[0]:
        os.read(fd, 65536)


# Text that only the key's own frame writes (ncurses writes only the cells that change): the
# grid's "sorted by" on the tabs' line, the misconceptions' "open the page" in the key bar, the
# messages' list ("No messages yet" after "No shared misconception yet") or key bar.
VIEWS = [("grid", rb"sorted by"), ("misconceptions", rb"open the page"), ("messages", rb"messages yet|message this learner")]


def press(fd, key, view):
    """Writes `key`; the milliseconds to the first byte back, and to the text of `view`."""
    drain(fd)
    began = time.perf_counter()
    os.write(fd, key)
    if not select.select([fd], [], [], 2)[0]:
        return None, None
    first = (time.perf_counter() - began) * 1000
    data = os.read(fd, 65536)
    while not re.search(VIEWS[view][1], plain(data)):
        if time.perf_counter() - began > 2 or not select.select([fd], [], [], 2 - (time.perf_counter() - began))[0]:
            return first, None
        data += os.read(fd, 65536)
    return first, (time.perf_counter() - began) * 1000


def memory(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmHWM:", "VmRSS:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values


def cpu_seconds(pid):
    """User and system time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def quit_room(pid, fd):
    """q, then q to confirm; True if the room exited by itself within 10 s."""
    pump(fd, 0.2)
    os.write(fd, b"q")
    pump(fd, 0.5)
    os.write(fd, b"q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pump(fd, 0.1)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return True, status
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        time.sleep(1)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False, status
    return False, os.waitpid(pid, 0)[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10, help="how long the full room sends requests (default 10)")
    parser.add_argument("--learners", type=int, default=100, help="learners in the room (default 100)")
    parser.add_argument("--binary", help="the statuslab binary (default: scripts/build-release.sh builds it)")
    parser.add_argument("--keys", type=int, default=200, help="Tab presses timed (default 200)")
    parser.add_argument("--feeds", action="store_true",
                        help="each learner also polls its feed once a second, as StatusLab in a room does")
    parser.add_argument("--no-write", action="store_true", help="print the results only; leave docs/BENCHMARKS.md alone")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary) if args.binary else build()

    home = tempfile.mkdtemp(prefix="statuslab-room-bench-")
    state = os.path.join(home, "room.json")
    pid, fd = start(binary, home, state)
    load = None
    ours = None
    rss_samples, sampling = [], threading.Event()
    firsts, drawn, misses = [], [], 0
    try:
        port = int(read_until(fd, rb"127\.0\.0\.1:(\d+)/room").group(1))
        code = json.load(open(state))["joinCode"]
        pump(fd, 0.5)

        ours, theirs = multiprocessing.get_context("fork").Pipe()
        load = multiprocessing.get_context("fork").Process(
            target=run_load, args=(port, code, args.learners, args.minutes, args.feeds, theirs, fd))
        load.start()
        theirs.close()

        def sample_memory():
            while not sampling.wait(1):
                try:
                    rss_samples.append(memory(pid)["VmRSS"])
                except (OSError, KeyError):
                    return
        threading.Thread(target=sample_memory, daemon=True).start()
        # Everyone joins (the screen keeps being read meanwhile).
        while not ours.poll():
            pump(fd, 0.2)
            if not load.is_alive():
                raise SystemExit("benchmark-room: the load generator stopped")
        joined = ours.recv()
        if "error" in joined:
            raise SystemExit(f"benchmark-room: the load generator failed: {joined['error']}")
        window_started = time.monotonic()
        room_cpu_before = cpu_seconds(pid)
        rss_joined = memory(pid)["VmRSS"]
        window = args.minutes * 60
        print(f"benchmark-room: {args.learners} learners joined in {joined['joined']:.1f} s; loading for {window:.0f} s, "
              f"timing {args.keys} keys", file=sys.stderr)

        # Keys spread over the run, 0.25-0.5 s apart at least; a settling second first.
        pump(fd, 1)
        spacing = max(0.375, (window - 2) / max(args.keys, 1))
        view = 0
        for index in range(args.keys):
            pump(fd, random.uniform(0.67, 1.33) * spacing - 0.02)
            view = (view + 1) % len(VIEWS)
            first, whole = press(fd, b"\t", view)
            if first is None:
                misses += 1
                continue
            firsts.append(first)
            if whole is None:
                misses += 1
            else:
                drawn.append(whole)
        while time.monotonic() - window_started < window:
            pump(fd, min(1, window - (time.monotonic() - window_started)))
        # Ends the load (its own clock may have run out already) and takes its results.
        ours.send("stop")
        while not ours.poll():
            pump(fd, 0.2)
            if not load.is_alive() and not ours.poll():
                raise SystemExit("benchmark-room: the load generator stopped without its results")
        results = ours.recv()
        window_run = time.monotonic() - window_started
        room_cpu = (cpu_seconds(pid) - room_cpu_before) / window_run
        peak = memory(pid)
    finally:
        sampling.set()
        if ours is not None:
            ours.close()  # tells a load still running to stop
        if load is not None:
            load.join(20)
            if load.is_alive():
                load.kill()
        clean, status = quit_room(pid, fd)
        os.close(fd)

    if "error" in results:
        raise SystemExit(f"benchmark-room: the load generator failed: {results['error']}")
    record = json.load(open(state))
    shutil.rmtree(home, ignore_errors=True)
    ours_only = [learner for learner in record["learners"].values() if learner["key"] in results["keys"].values()]
    solved = sorted(len(learner.get("solved", {})) for learner in ours_only)
    every = [exercise["id"] for exercise in exercises()]
    total_exercises = len(every)
    never = [id for id in every if not any(id in learner.get("solved", {}) for learner in ours_only)]

    lags = results["lags"]
    unseen = results["unseen"]
    record_max = max(lags) if lags else float("nan")
    if unseen:
        record_max = max(record_max, 10_000.0)
    record_p99 = percentile(lags, 0.99)
    frame = statistics.median(drawn) if drawn else float("nan")
    grid_bound = record_max + WATCHER_MS + frame
    first_median, first_p90 = (statistics.median(firsts), percentile(firsts, 0.9)) if firsts else (float("nan"),) * 2
    drawn_median, drawn_p90 = (statistics.median(drawn), percentile(drawn, 0.9)) if drawn else (float("nan"),) * 2
    rss_max = max(rss_samples + [peak["VmRSS"]])
    statuses = results["statuses"]
    refused = statuses.get(429, 0) + results["feed_statuses"].get(429, 0)
    rate = results["requests"] / max(results["window"], 1)

    met = {
        "grid": grid_bound <= TARGET_GRID_MS,
        "keys": first_p90 <= TARGET_KEY_MS,
        "memory": peak["VmHWM"] <= TARGET_MB,
    }
    def verdict(ok):
        return "met" if ok else "**missed**"
    where = binary.replace(ROOT + "/", "")
    codes = ", ".join(f"{code} × {count}" for code, count in sorted(statuses.items(), key=lambda item: int(item[0])))
    results_text = f"""<!-- room results: written by scripts/benchmark-room.py -->
Run on {time.strftime('%Y-%m-%d', time.gmtime())}: `{where} room --port 0` in a {COLUMNS}x{LINES} pseudo-terminal (the Room
screen), {args.learners} simulated learners on loopback, on this machine (`nproc`: {nproc()}).

| measure | result | target |
|---|---|---|
| record lag, response to the learner's feed showing it: max ({len(lags)} samples{f', {unseen} not seen within 10 s' if unseen else ''}) | {record_max:.0f} ms (p99 {record_p99:.0f} ms) | |
| grid lag, at most: record lag max + {WATCHER_MS} ms (the screen reads the record every {WATCHER_MS} ms) + a frame ({frame:.1f} ms, median below) | **{grid_bound:.0f} ms** | ≤ {TARGET_GRID_MS} ms, {verdict(met['grid'])} |
| key to first redrawn byte, Tab through grid / misconceptions / messages: 90th percentile ({len(firsts)} keys) | **{first_p90:.1f} ms** | ≤ {TARGET_KEY_MS} ms, {verdict(met['keys'])} |
| the same, median | {first_median:.1f} ms | |
| key to the new view's own text on the screen: median / 90th percentile ({len(drawn)} keys{f', {misses} not drawn within 2 s' if misses else ''}) | {drawn_median:.1f} / {drawn_p90:.1f} ms | |
| the room's peak resident memory (VmHWM) at the end | **{peak['VmHWM']:.1f} MB** | ≤ {TARGET_MB} MB, {verdict(met['memory'])} |
| the room's resident memory (VmRSS) sampled each second: max / when all had joined / at the end | {rss_max:.1f} / {rss_joined:.1f} / {peak['VmRSS']:.1f} MB | |
| exercises solved per learner at the end: min / median / max (of {total_exercises}{'; solved by none: ' + ', '.join(never) if never else ''}) | {solved[0] if solved else 0} / {statistics.median(solved) if solved else 0:g} / {solved[-1] if solved else 0} | |

The load: {args.learners} learners joined through `POST /room/join` at 5 a second (the room's limit; {joined['joined']:.0f} s),
then each sent one request a second, jittered ±25%, on a keep-alive connection of its own for
{results['window'] / 60:.1f} minutes ({results['requests']} requests, {rate:.1f} a second; answers {codes}), working
through the `send:` lines of content/exercises in order and starting again when through{' (Digest answered with the uri without /l/KEY, which the room requires)' if results['strip_digest_uri'] else ''}{'; each also polled its feed once a second as StatusLab in a room does' if args.feeds else ''}.
One request per learner about every 10 s carried a marker header, and the learner's feed was polled
(every 20 ms, after half a second every 100 ms; {results['polls']} polls) until it showed it; the time is taken when
the poll's answer has arrived. BREW (exercise 22) is never a sample: the server records a method its parser
does not know without the request's header fields, so the marker cannot be found. {refused} requests were refused for the learner's budget (429).
Keys: {args.keys} Tabs {spacing:.2f} s apart on average while the load ran, each after 20 ms of quiet on the
screen, timed to the first byte back (as `scripts/benchmark-lab.py` does) and to the new view's text;
the load ran in a process of its own. While the room was full, the room used {room_cpu * 100:.0f}% of a core
and the load generator, on the same machine, {results['cpu'] / results['window'] * 100:.0f}%. Memory from `/proc/PID/status`. The room quit on `q` `q`: {'yes' if clean else 'no, it was killed'}.
<!-- /room results -->"""
    print(results_text)
    if results["failed"]:
        print(f"benchmark-room: {results['failed']} learners failed: {results['failures']}", file=sys.stderr)
    if not args.no_write:
        write(os.path.join(ROOT, "docs", "BENCHMARKS.md"), results_text)
    ok = all(met.values()) and clean and not results["failed"]
    sys.exit(0 if ok else 1)


def write(doc, results):
    """Puts `results` between the room's markers in `doc`, or a new section at its end."""
    text = open(doc).read()
    if "<!-- room results" in text:
        text = re.sub(r"<!-- room results.*?<!-- /room results -->", lambda _: results, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## The room\n\n" + results + "\n"
    open(doc, "w").write(text)


def nproc():
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return str(os.cpu_count())


if __name__ == "__main__":
    main()
