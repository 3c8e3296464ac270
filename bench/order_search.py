"""The desk's "spent at least" list with a search term (issue 15), before and after a change,
side by side in one run.

Builds a temporary mirror of N customers (default 100,000) named like the Medusa peer's bulk
seed (tests/peers/medusa/scripts/bulk-seed-customers.js: 22 first names x 20 last names, so
terms are broad) with about 2.3 orders each, through the mirror's own bulk load. Then, for
each code tree (`--before` a git ref, extracted with `git archive`; the work tree as after),
a child process times the first page (rows, no count) of every query: terms x min_spent
levels x sorts. Runs alternate before/after; each figure is the median of the runs (with the
spread), CPU and wall, and the load average is noted.

Usage: `.venv/bin/python -m bench.order_search [--customers 100000] [--before main] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# The peer's bulk seed (bulk-seed-customers.js): display first names, email slugs, last names.
FIRST = [
    ("Anna", "anna"), ("Björn", "bjoern"), ("Chloé", "chloe"), ("Dmitri", "dmitri"),
    ("Élodie", "elodie"), ("Fatima", "fatima"), ("Grete", "grete"), ("Håkon", "hakon"),
    ("Inés", "ines"), ("Jürgen", "juergen"), ("Kenji", "kenji"), ("Łukasz", "lukasz"),
    ("Mia", "mia"), ("Noah", "noah"), ("Olga", "olga"), ("Paul", "paul"), ("Zoë", "zoe"),
    ("Ренат", "renat"), ("Σοφία", "sofia"), ("美咲", "misaki"), ("Yusuf", "yusuf"),
    ("Şule", "sule"),
]  # fmt: skip
LAST = [
    "Müller", "Schmidt", "Ødegaard", "García", "Nowak", "Dvořák", "Fischer", "O'Brien",
    "Weber", "Ñúñez", "Kowalski", "Rossi", "Svensson", "Yılmaz", "Papadopoulos", "Tanaka",
    "Ivanov", "Dubois", "Nguyen", "Smith",
]  # fmt: skip
COMPANIES = [None, None, None, "Acme GmbH", "Globex AG", "Café Zürich SA", "Umbrella SE"]
TERMS = ["e", "an", "müller", "anna", "schmidt", "zoe", "gmbh", "+49", "bulk0", "anna m"]
MIN_SPENT = ["100", "400", "1000", "2000"]  # EUR: most customers pass the first, few the last
SORTS = ["id", "-spent", "-last_order_at"]
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def build(path: Path, customers: int, seed: int = 15) -> None:
    """A complete mirror (customers, orders, figures) through the mirror's bulk load."""
    from app.domain.customer import Customer
    from app.domain.money import Money
    from app.domain.order import OrderSummary
    from app.mirror import db
    from app.mirror.repository import MirrorRepository

    rnd = random.Random(seed)
    repo = MirrorRepository(db.connect(path))
    repo.begin_bulk()
    batch: list[Customer] = []
    for i in range(customers):
        first, slug = FIRST[i % len(FIRST)]
        batch.append(
            Customer(
                id=f"cus_{i:07}",
                email=f"bulk{i:06}.{slug}@bulk.example",
                first_name=first,
                last_name=LAST[(i * 7) % len(LAST)],
                phone=f"+49{1500000000 + (i * 7919) % 299999999}",
                company=COMPANIES[i % len(COMPANIES)],
                has_account=i % 3 != 0,
                created_at=T0 + timedelta(minutes=i),
                updated_at=T0 + timedelta(minutes=i),
            )
        )
        if len(batch) == 2000:
            repo.upsert_customers(batch)
            batch = []
    if batch:
        repo.upsert_customers(batch)
    repo.end_bulk()
    repo.begin_order_bulk()
    orders: list[OrderSummary] = []
    n = 0
    for i in range(customers):
        for _ in range(min(int(rnd.expovariate(1 / 2.3) + 0.5), 30)):
            created = T0 + timedelta(hours=rnd.randint(0, 24 * 700))
            total = Decimal(int(rnd.lognormvariate(4.5, 1.0) * 100)) / 100 + 1
            orders.append(
                OrderSummary(
                    id=f"order_{n:08}",
                    display_number=str(1000 + n),
                    status="canceled" if rnd.random() < 0.05 else "completed",
                    payment_status="captured",
                    fulfillment_status="fulfilled",
                    total=Money(amount=total, currency="EUR" if rnd.random() < 0.9 else "USD"),
                    created_at=created,
                    customer_id=f"cus_{i:07}",
                    updated_at=created,
                    item_count=rnd.randint(1, 5),
                    cancelled=False,
                )
            )
            orders[-1] = orders[-1].model_copy(
                update={"cancelled": orders[-1].status == "canceled"}
            )
            n += 1
        if len(orders) >= 5000:
            repo.upsert_listed_orders(orders)
            orders = []
    if orders:
        repo.upsert_listed_orders(orders)
    repo.end_order_bulk()
    repo.delete_unseen_orders(0, {"orders.last_full": T0.isoformat()})
    repo.conn.execute("PRAGMA optimize")
    repo.conn.close()
    print(f"built {customers} customers, {n} orders in {path}", file=sys.stderr)


def queries(count: int, seed: int = 1) -> list[str]:
    """The fixed typical terms, then pieces of names and emails as staff type them."""
    rnd = random.Random(seed)
    out = list(TERMS)
    while len(out) < count:
        first, slug = rnd.choice(FIRST)
        value = rnd.choice([first, slug, rnd.choice(LAST), f"bulk{rnd.randrange(10**6):06}"])
        start = rnd.randrange(max(1, len(value) - 2))
        out.append(value[start : start + rnd.randint(2, 7)].lower())
    return out[:count]


def child(path: Path, texts: list[str]) -> dict[str, dict[str, list[float]]]:
    """Per (sort, min_spent): the first page's wall and CPU milliseconds of every text."""
    from app.domain.query import CustomerQuery, OrderFilter, Sort
    from app.mirror import db
    from app.mirror.repository import MirrorRepository

    repo = MirrorRepository(db.connect(path))
    repo.search(CustomerQuery(text="warm", page_size=100), count=False)  # caches, page-in
    out: dict[str, dict[str, list[float]]] = {}
    for sort in SORTS:
        for level in MIN_SPENT:
            walls: list[float] = []
            cpus: list[float] = []
            for text in texts:
                query = CustomerQuery(
                    text=text,
                    page_size=100,
                    sort=Sort.parse(sort),
                    orders=OrderFilter(min_spent=Decimal(level)),
                )
                w, c = time.perf_counter(), time.process_time()
                repo.search(query, count=False)
                cpus.append((time.process_time() - c) * 1000)
                walls.append((time.perf_counter() - w) * 1000)
            out[f"{sort} >={level}"] = {"wall": walls, "cpu": cpus}
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def extract(ref: str, into: Path) -> Path:
    """`app/` as it is at `ref`, for the child to import."""
    data = subprocess.run(
        ["git", "archive", ref, "app"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def use_tree(tree: Path) -> None:
    """Import `app` from `tree`: first on the path, and without the editable install's
    finder (it maps `app` to the work tree ahead of sys.path)."""
    sys.path.insert(0, str(tree))
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in str(f.__module__)]
    import app

    assert Path(app.__file__).resolve().is_relative_to(tree.resolve()), app.__file__


def run_child(tree: Path, path: Path, texts_file: Path) -> dict[str, dict[str, list[float]]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), "--child", str(tree), str(path), str(texts_file)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, dict[str, list[float]]] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default="main")
    parser.add_argument("--mirror", type=Path, help="reuse (or build once) this mirror file")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tree, path, texts_file = args.child
        use_tree(Path(tree))
        print(json.dumps(child(Path(path), json.loads(Path(texts_file).read_text()))))
        return 0
    with tempfile.TemporaryDirectory(prefix="order-search-") as tmp:
        path = args.mirror or Path(tmp) / "mirror.sqlite3"
        if not path.exists():
            build(path, args.customers)
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(queries(args.queries)))
        trees = {"before": extract(args.before, Path(tmp) / "before"), "after": ROOT}
        runs: dict[str, list[dict[str, dict[str, list[float]]]]] = {k: [] for k in trees}
        loads: list[float] = []
        for i in range(args.runs):
            for name in sorted(trees, reverse=i % 2 == 1):  # alternate who goes first
                loads.append(os.getloadavg()[0])
                runs[name].append(run_child(trees[name], path, texts_file))
        print_table(runs, loads, len(json.loads(texts_file.read_text())))
    return 0


def print_table(runs: dict[str, list[Any]], loads: list[float], texts: int) -> None:
    print(f"p95 ms of the first page over {texts} terms; median of {len(runs['after'])} runs")
    print(f"(spread = max - min over the runs); load average 1 min: {loads}")
    print(f"{'sort / min_spent':<22} {'before wall':>16} {'after wall':>16} "
          f"{'before cpu':>16} {'after cpu':>16}")  # fmt: skip
    for key in runs["after"][0]:
        cells = []
        for kind in ("wall", "cpu"):
            for name in ("before", "after"):
                p95s = [pct(run[key][kind], 0.95) for run in runs[name]]
                spread = max(p95s) - min(p95s)
                cells.append(f"{statistics.median(p95s):7.2f} ±{spread:5.2f}")
        print(f"{key:<22} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16} {cells[3]:>16}")


if __name__ == "__main__":
    sys.exit(main())
