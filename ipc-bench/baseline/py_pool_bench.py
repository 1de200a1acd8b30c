"""Peer baseline: CPython multiprocessing.Pool start-up and apply latency, and a manager queue's
put->get latency, next to py_mp_bench.py.

Prints one line per workload: name, figure, unit.
Run: python3 py_pool_bench.py [quick|full] [NAME_PREFIX]   (a prefix runs only the workloads it starts)
Every workload crosses a real process boundary (spawn start method, like a child JVM).
Pool.map throughput is py_mp_bench.py's pool2_map_square.
"""
import multiprocessing as mp
import sys
import time

QUICK = len(sys.argv) > 1 and sys.argv[1] == "quick"
ONLY = sys.argv[2] if len(sys.argv) > 2 else ""
N_APPLY = 5_000 if QUICK else 20_000
N_START = 10 if QUICK else 30
N_MANAGER = 2_000 if QUICK else 10_000


def _one():
    return 1


def pool_apply_rtt():
    with mp.Pool(2) as pool:
        for _ in range(1000):
            pool.apply(_one)
        t = time.perf_counter()
        for _ in range(N_APPLY):
            r = pool.apply(_one)
        dt = time.perf_counter() - t
    assert r == 1
    return dt / N_APPLY * 1e6


def pool_start_first_task():
    # Mean over N_START pools, each timed from before Pool(2) until the with block's exit has
    # terminated and joined its workers; one untimed pool first (warm-up).
    total = 0.0
    for i in range(N_START + 1):
        t = time.perf_counter()
        with mp.Pool(2) as pool:
            r = pool.apply(_one)
        dt = time.perf_counter() - t
        assert r == 1
        if i:
            total += dt
    return total / N_START * 1e3


def _echo(ping, pong):
    while True:
        item = ping.get()
        if item is None:
            break
        pong.put(item)


def manager_queue_put_get():
    # Ping-pong through two Manager().Queue()s between this process and a child: every put and
    # get is a round trip to the manager process. Mean of half a round trip (one put->get leg).
    with mp.Manager() as manager:
        ping, pong = manager.Queue(), manager.Queue()
        child = mp.Process(target=_echo, args=(ping, pong))
        child.start()
        for _ in range(200):
            ping.put(1)
            pong.get()
        t = time.perf_counter()
        for _ in range(N_MANAGER):
            ping.put(1)
            r = pong.get()
        dt = time.perf_counter() - t
        ping.put(None)
        child.join()
    assert r == 1
    return dt / N_MANAGER / 2 * 1e6


if __name__ == "__main__":
    mp.set_start_method("spawn")
    rows = [
        ("pool2_apply_rtt", pool_apply_rtt, "us/apply"),
        ("pool2_start_first_task", pool_start_first_task, "ms/pool"),
        ("manager_queue_put_get", manager_queue_put_get, "us/put-to-get"),
    ]
    for name, work, unit in rows:
        if name.startswith(ONLY):
            print(f"{name}\t{work():.1f}\t{unit}", flush=True)
