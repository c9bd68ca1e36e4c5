"""Speed and memory of sending one release to 100,000 subscribers through a local SMTP sink.

    .venv/bin/python -m bench.email_delivery [--subscribers 100000] [--small 10000]

Uses a database of its own (``pressroom_bench`` on the embedded server, or
``--database-url`` whose database name must contain "bench"). First it measures
the sink's own rate with a trivial sender: one connection, one fixed message
sent over and over. Then, for each run, it seeds the subscribers, queues a new
release with ``release_went_live`` (one INSERT … SELECT), runs real
``manage.py procrastinate worker --one-shot`` processes that send through the
sink, and reports messages per second as a share of the sink's own rate, the
time to the last delivery, and each worker's peak memory (RSS).
A full run writes the "Subscriptions" section of bench/README.md; a smaller
one writes to var/bench/README.md.
"""

import os
import sys
import time

from bench import argument_parser, is_full_run, report
from bench.seed import published_release, seed_subscribers, use_database
from bench.server import run_workers
from bench.sink import Sink, trivial_sender_rate

# A release email is about 3 KB in some 70 lines; the sink reads DATA line by line.
RELEASE_EMAIL_LINES = 70


def deliver(sink, subscribers, workers, concurrency=1):
    """Queue one new release to ``subscribers`` and run ``workers`` workers until all is sent."""
    from django.db import connections

    from subscriptions import delivery

    seed_subscribers(subscribers)
    release = published_release("delivery")
    before = sink.count
    start = time.perf_counter()
    queued = delivery.release_went_live(release)
    queued_in = time.perf_counter() - start
    # The workers are other processes; this one holds no connection while they run.
    connections.close_all()
    env = {**os.environ, "EMAIL_URL": sink.url}
    _workers_seconds, peaks = run_workers(workers, concurrency=concurrency, env=env)
    elapsed = time.perf_counter() - start
    sent = sink.count - before
    return {
        "subscribers": subscribers,
        "workers": workers,
        "concurrency": concurrency,
        "queued": queued,
        "queued_in": queued_in,
        "sent": sent,
        "seconds": elapsed,
        "rate": sent / elapsed,
        "peak_mib": [round(p / 2**20) for p in peaks],
    }


def percent(share):
    return f"{share * 100:.0f} %"


def describe(run):
    text = f"{run['subscribers']:,} subscribers, {run['workers']} worker"
    text += "s" if run["workers"] > 1 else ""
    if run["concurrency"] > 1:
        text += f", `--concurrency {run['concurrency']}`"
    return text


def section(args, machine, sink_rates, runs):
    """The "Subscriptions" section of bench/README.md, and whether every message went once."""
    one_line, sized = sink_rates
    lines = [
        f"## Subscriptions: one release to {args.subscribers:,} subscribers",
        "",
        "`.venv/bin/python -m bench.email_delivery` uses a database of its own, starts an "
        "aiosmtpd sink in a separate process that accepts and counts every message, and first "
        "measures the sink's own rate with a trivial sender (one connection, one fixed message "
        f"sent {args.sink_messages:,} times; once a one-line message, once a "
        f"{RELEASE_EMAIL_LINES}-line one, the size of a release email). Then, for each run, it "
        "inserts the confirmed subscribers (a third Danish, all following every release), "
        "publishes a release in both languages, queues it with `release_went_live` (one "
        "`INSERT … SELECT`), and starts real `manage.py procrastinate worker --one-shot` "
        "processes that send through the sink. *Time to the last delivery* runs from queueing "
        "to the moment the last worker exits (so it includes starting the workers); peak memory "
        "is each worker's largest resident set size, sampled every 0.1 s. The sink, PostgreSQL "
        "and the workers share the machine's cores.",
        "",
        f"Last run: {report.finished_at()}.",
        "",
        *machine,
        "",
        "| run | messages sent | queued in | time to last delivery | messages/s "
        "| of the sink's rate (1-line / 70-line) | peak RSS per worker |",
        "|---|---:|---:|---:|---:|---|---|",
        f"| trivial sender → sink, 1-line message | | | | {one_line:,.0f} | | |",
        f"| trivial sender → sink, {RELEASE_EMAIL_LINES}-line message | | | | {sized:,.0f} | | |",
    ]
    every_one_once = True
    for run in runs:
        once = run["sent"] == run["subscribers"]
        every_one_once &= once
        lines.append(
            f"| {describe(run)} | {run['sent']:,}{'' if once else ' (not one each!)'} | "
            f"{run['queued_in']:.1f} s | {run['seconds']:.1f} s | {run['rate']:,.0f} | "
            f"{percent(run['rate'] / one_line)} / {percent(run['rate'] / sized)} | "
            f"{' + '.join(str(mib) for mib in run['peak_mib'])} MiB |"
        )
    small, alone, two = runs[0], runs[1], runs[2]
    lines += [
        "",
        f"- **Memory is flat**: {max(small['peak_mib'])} MiB per worker for "
        f"{small['subscribers']:,} subscribers, {max(alone['peak_mib'])} MiB for "
        f"{alone['subscribers']:,}. Queueing happens inside PostgreSQL, and workers claim and "
        "read a batch of rows at a time (`DELIVERY_BATCH_SIZE`), so no process ever holds the "
        "subscriber list.",
        f"- **One worker reaches {percent(alone['rate'] / one_line)} of the sink's rate, two "
        f"reach {percent(two['rate'] / one_line)}** ({percent(alone['rate'] / sized)} and "
        f"{percent(two['rate'] / sized)} of its rate for a message of a release email's size). "
        "A single sending job waits, per message, for four SMTP round trips and one `UPDATE` "
        "that marks the row sent; a second worker, or one worker running several jobs "
        "(`--concurrency`), fills those waits.",
        "- **What makes a message cheap**: the release email is rendered and MIME-encoded once "
        "per language; each subscriber's copy only gets its own To, Date, Message-ID and "
        "List-Unsubscribe headers and its signed links and address in place of markers, and "
        "goes to the server as bytes over the batch's one SMTP connection. Rows are marked sent "
        "one by one, right after the server accepted each message, with `synchronous_commit` "
        "off for the sender's session.",
        "- An earlier version that built every message with Django's `EmailMultiAlternatives` "
        "sent 385 messages/s with one worker and did not gain from a second one.",
    ]
    return "\n".join(lines), every_one_once


# The options that size a run: only a run with all of them at their defaults is recorded.
SIZING = ["subscribers", "small", "sink_messages"]


def arguments():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="the run that shows memory")
    parser.add_argument(
        "--sink-messages", type=int, default=20_000, help="messages of the trivial sender"
    )
    return parser


def main():
    parser = arguments()
    args = parser.parse_args()
    full = is_full_run(parser, args, SIZING)

    load_before = os.getloadavg()[0]
    print("Preparing the benchmark database …", flush=True)
    use_database(args.database_url)
    sink = Sink()
    try:
        rates = (
            trivial_sender_rate(sink, args.sink_messages),
            trivial_sender_rate(sink, args.sink_messages, lines=RELEASE_EMAIL_LINES),
        )
        for lines, rate in zip((1, RELEASE_EMAIL_LINES), rates, strict=True):
            print(f"sink, trivial sender, {lines}-line message: {rate:,.0f} messages/s", flush=True)
        runs = []
        for subscribers, workers, concurrency in [
            (args.small, 1, 1),
            (args.subscribers, 1, 1),
            (args.subscribers, 2, 1),
            (args.subscribers, 1, 4),
        ]:
            run = deliver(sink, subscribers, workers, concurrency)
            runs.append(run)
            print(
                f"{describe(run)}: queued in {run['queued_in']:.1f} s; {run['sent']:,} sent in "
                f"{run['seconds']:.1f} s = {run['rate']:,.0f} messages/s "
                f"({percent(run['rate'] / rates[0])} of the sink's one-line rate, "
                f"{percent(run['rate'] / rates[1])} of its {RELEASE_EMAIL_LINES}-line rate); "
                f"peak RSS per worker {run['peak_mib']} MiB",
                flush=True,
            )
    finally:
        sink.stop()
    from importlib.metadata import version

    machine = report.machine_table(
        load_before,
        ("SMTP sink", f"aiosmtpd {version('aiosmtpd')}, in a process of its own, on 127.0.0.1"),
        ("workers", f"Procrastinate {version('procrastinate')}, `--one-shot`"),
    )
    text, every_one_once = section(args, machine, rates, runs)
    destination = report.destination(full, args.output)
    report.write_section(destination, "## Subscriptions", text)
    print(f"Written to {destination}{'' if full else ' (not a full run)'}.")
    return 0 if every_one_once else 1


if __name__ == "__main__":
    sys.exit(main())
