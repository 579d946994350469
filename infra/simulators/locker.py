"""A local stand-in for the hall's self-service pickup lockers (智能取件柜) on loopback.

The vendor API OneTrip calls (``citizen_api/lockers/client.py``):

- ``POST /api/lockers/{locker}/deposits {reference}`` → 201 ``{compartment}`` (a free door opens
  for the clerk), 409 ``{"error": "full"}`` when every compartment is taken, 404 for an unknown
  locker;
- ``POST /api/lockers/{locker}/compartments/{compartment}/release`` → 200 (staff emptied it).

And what the locker does when a citizen types a code at its screen, driven by the control API:

- ``POST /_sim/pickup {locker, code}``: POSTs ``{locker, code}`` signed with HMAC-SHA256 of the body
  (``X-Locker-Signature``, the shared secret) to ``callback_url``, frees the compartment when the
  answer opens it, and answers ``{status, answer}`` (what OneTrip answered); ``"sign": "bad"`` sends
  a wrong signature;
- ``GET /_sim/lockers``: every compartment and what it holds; ``POST /_sim/faults {"times": n}``:
  the next n vendor calls answer 500.

Run it alone: ``python -m infra.simulators.locker --port 9103 --callback http://127.0.0.1:8000/api/v1/callbacks/locker``.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from infra.simulators._server import LoopbackServer


@dataclass
class Cabinet:
    compartments: dict[str, str | None] = field(default_factory=dict)  # number → reference held

    def take(self, reference: str) -> str | None:
        for number, held in self.compartments.items():
            if held is None:
                self.compartments[number] = reference
                return number
        return None


class LockerSimulator(LoopbackServer):
    def __init__(self, *, secret: str = "dev-locker-secret", callback_url: str = "", size: int = 4,
                 lockers: tuple[str, ...] = ("L1",)) -> None:  # fmt: skip
        super().__init__()
        self.secret = secret
        self.callback_url = callback_url
        self.cabinets = {
            locker: Cabinet({f"{n:02d}": None for n in range(1, size + 1)}) for locker in lockers
        }
        self.faults = 0
        self.calls: list[tuple[str, dict]] = []  # what OneTrip asked of the vendor API
        self.app = web.Application()
        self.app.add_routes(
            [
                web.post("/api/lockers/{locker}/deposits", self._deposit),
                web.post("/api/lockers/{locker}/compartments/{compartment}/release", self._release),
                web.post("/_sim/pickup", self._pickup),
                web.get("/_sim/lockers", self._lockers),
                web.post("/_sim/faults", self._faults),
            ]
        )

    def _fault(self) -> web.Response | None:
        if self.faults > 0:
            self.faults -= 1
            return web.json_response({"error": "internal"}, status=500)
        return None

    async def _deposit(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append(("deposit", body))
        if (fault := self._fault()) is not None:
            return fault
        cabinet = self.cabinets.get(request.match_info["locker"])
        if cabinet is None:
            return web.json_response({"error": "unknown locker"}, status=404)
        number = cabinet.take(str(body.get("reference", "")))
        if number is None:
            return web.json_response({"error": "full"}, status=409)
        return web.json_response({"compartment": number}, status=201)

    async def _release(self, request: web.Request) -> web.Response:
        self.calls.append(("release", dict(request.match_info)))
        if (fault := self._fault()) is not None:
            return fault
        cabinet = self.cabinets.get(request.match_info["locker"])
        if cabinet is None or request.match_info["compartment"] not in cabinet.compartments:
            return web.json_response({"error": "unknown compartment"}, status=404)
        cabinet.compartments[request.match_info["compartment"]] = None
        return web.json_response({"released": True})

    async def _pickup(self, request: web.Request) -> web.Response:
        control = await request.json()
        payload = json.dumps({"locker": control["locker"], "code": control["code"]}).encode()
        signature = hmac.new(self.secret.encode(), payload, hashlib.sha256).hexdigest()
        if control.get("sign") == "bad":
            signature = "0" * 64
        headers = {"Content-Type": "application/json", "X-Locker-Signature": signature}
        async with (
            aiohttp.ClientSession() as http,
            http.post(self.callback_url, data=payload, headers=headers) as resp,
        ):
            answer = await resp.json(content_type=None)
            status = resp.status
        if status == 200 and isinstance(answer, dict) and answer.get("open"):
            cabinet = self.cabinets.get(control["locker"])
            if cabinet is not None:
                cabinet.compartments[str(answer.get("compartment"))] = None  # the citizen took it out
        return web.json_response({"status": status, "answer": answer})

    async def _lockers(self, _request: web.Request) -> web.Response:
        return web.json_response({k: c.compartments for k, c in self.cabinets.items()})

    async def _faults(self, request: web.Request) -> web.Response:
        self.faults = int((await request.json()).get("times", 1))
        return web.json_response({"faults": self.faults})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=9103)
    parser.add_argument("--secret", default="dev-locker-secret")
    parser.add_argument("--callback", default="http://127.0.0.1:8000/api/v1/callbacks/locker")
    args = parser.parse_args()
    sim = LockerSimulator(secret=args.secret, callback_url=args.callback, size=24)
    web.run_app(sim.app, host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
