"""Peer baseline: CPython multiprocessing.Manager() queue and proxy creation, next to py_mp_bench.py.

Prints one line per workload: name, figure, unit.
Run: python3 py_manager_bench.py [quick|full] [NAME_PREFIX]   (a prefix runs only the workloads it starts)
Every call crosses a real process boundary: the manager's server is a spawned process and this
process calls it through proxies, each call a round trip on the proxy's connection.
The dict rows (manager_dict_setitem, manager_dict_getitem) are py_mp_bench.py's.
"""
import multiprocessing as mp
import sys
import time

QUICK = len(sys.argv) > 1 and sys.argv[1] == "quick"
ONLY = sys.argv[2] if len(sys.argv) > 2 else ""
N_CALL = 5_000 if QUICK else 25_000
N_CREATE = 200 if QUICK else 1_000


def manager_queue_put_then_get():
    n = N_CALL
    with mp.Manager() as m:
        q = m.Queue()
        for i in range(1000):
            q.put(i); q.get()
        t = time.perf_counter()
        for i in range(n):
            q.put(i); q.get()
        dt = time.perf_counter() - t
    return dt / n * 1e6


def manager_proxy_create():
    with mp.Manager() as m:
        for _ in range(50):
            m.dict()
        t = time.perf_counter()
        for _ in range(N_CREATE):
            m.dict()
        dt = time.perf_counter() - t
    return dt / N_CREATE * 1e3


if __name__ == "__main__":
    mp.set_start_method("spawn")
    rows = [
        ("manager_queue_put_then_get", manager_queue_put_then_get, "us/put+get"),
        ("manager_proxy_create", manager_proxy_create, "ms/proxy"),
    ]
    for name, work, unit in rows:
        if name.startswith(ONLY):
            print(f"{name}\t{work():.1f}\t{unit}", flush=True)
