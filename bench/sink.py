"""An SMTP server that accepts and counts every message, in a process of its own."""

import multiprocessing
import smtplib
import socket
import time

HOST = "127.0.0.1"


class Sink:
    """Started on a free port of 127.0.0.1 when made; ``count`` is the messages accepted."""

    def __init__(self):
        self.port = _free_port()
        self._count = multiprocessing.Value("q", 0)
        ready = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_serve, args=(self.port, self._count, ready), daemon=True
        )
        self.process.start()
        if not ready.wait(30):
            self.stop()
            raise RuntimeError("The SMTP sink did not start within 30 seconds.")

    @property
    def url(self):
        return f"smtp://{HOST}:{self.port}"

    @property
    def count(self):
        return self._count.value

    def stop(self):
        self.process.terminate()
        self.process.join()


def trivial_sender_rate(sink, messages, lines=1):
    """The sink's own rate: one connection, one fixed message, as fast as it goes."""
    text = "x" * 60 + "\r\n"
    body = "Subject: x\r\nFrom: a@example.org\r\nTo: b@example.org\r\n\r\n" + text * lines
    start = time.perf_counter()
    with smtplib.SMTP(HOST, sink.port) as smtp:
        for _ in range(messages):
            smtp.sendmail("a@example.org", ["b@example.org"], body)
    return messages / (time.perf_counter() - start)


def _free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _serve(port, count, ready):
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname=HOST, port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)
