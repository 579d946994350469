"""A local stand-in for kuaidi100 (快递100) on loopback, for tests and ``make run``.

- ``POST /poll`` (form ``schema=json&param=…``): records the subscription (callbackurl, salt) and
  answers ``{"result": true, "returnCode": "200", "message": "提交成功"}`` (501 重复订阅 when it is
  already tracked);
- ``POST /poll/query.do`` (form ``customer, sign, param``; ``sign = upper(MD5(param + key +
  customer))``): the waybill's current record;
- control API: ``POST /_sim/push {"number", "state", "context"?, "time"?, "status"?, "sign"?}``
  adds a scan (unless ``status`` is ``abort``) and POSTs the signed push to the subscription's
  callbackurl, answering what the callback answered; ``"sign": "bad"`` sends a wrong signature and
  ``"sign": "none"`` none; ``"scans": [...]`` sends exactly those scans (``[]``: a push without any)
  in ``lastResult`` and leaves the recorded trace alone (kuaidi100's odd and out-of-order pushes);
  ``POST /_sim/repeat {"number"}`` re-sends the last push byte for byte;
  ``POST /_sim/scan`` adds a scan without pushing (seen only by a query); ``GET /_sim/subscriptions``;
  ``POST /_sim/faults {"path": "/poll", "status": 500 | "return_code": "700", "times": 1}``.

Run it alone: ``python -m infra.simulators.kuaidi100 --port 9101``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
from aiohttp import web

from infra.simulators._server import LoopbackServer

CST = timezone(timedelta(hours=8))
STATE_STATUS = {"0": "在途", "1": "揽收", "2": "疑难", "3": "签收", "4": "退签", "5": "派件", "14": "拒签"}


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()


@dataclass
class Subscription:
    company: str
    number: str
    callbackurl: str
    salt: str
    phone: str = ""
    times: int = 1
    aborted: bool = False
    scans: list[dict[str, Any]] = field(default_factory=list)  # newest first, as kuaidi100 sends
    state: str = "0"
    last_push: tuple[str, str] | None = None  # (param, sign) as last sent


@dataclass
class Fault:
    path: str
    status: int = 200
    return_code: str = ""
    times: int = 1


class Kuaidi100Simulator(LoopbackServer):
    def __init__(self, key: str = "dev-kuaidi100-key", customer: str = "dev-kuaidi100-customer") -> None:
        super().__init__()
        self.key = key
        self.customer = customer
        self.subscriptions: dict[str, Subscription] = {}
        self.faults: list[Fault] = []
        self.calls: list[str] = []
        self.app = web.Application()
        self.app.add_routes(
            [
                web.post("/poll", self.subscribe),
                web.post("/poll/query.do", self.query),
                web.post("/_sim/push", self.push_handler),
                web.post("/_sim/repeat", self.repeat_handler),
                web.post("/_sim/scan", self.scan_handler),
                web.get("/_sim/subscriptions", self.list_subscriptions),
                web.post("/_sim/faults", self.add_fault),
            ]
        )
        self._http: aiohttp.ClientSession | None = None

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None
        await super().stop()

    def fail(self, path: str, *, status: int = 200, return_code: str = "", times: int = 1) -> None:
        self.faults.append(Fault(path, status, return_code, times))

    def _fault(self, path: str) -> web.Response | None:
        self.calls.append(path)
        for fault in self.faults:
            if fault.path == path and fault.times > 0:
                fault.times -= 1
                if fault.status != 200:
                    return web.Response(status=fault.status, text="simulated failure")
                return web.json_response(
                    {"result": False, "returnCode": fault.return_code, "message": "模拟失败"}
                )
        return None

    # -- kuaidi100's API -------------------------------------------------------------------------
    async def subscribe(self, request: web.Request) -> web.Response:
        if (fault := self._fault("/poll")) is not None:
            return fault
        form = await request.post()
        try:
            param = json.loads(str(form.get("param", "")))
            parameters = param.get("parameters") or {}
            company, number = str(param["company"]), str(param["number"])
            callbackurl = str(parameters["callbackurl"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return _answer(False, "700", "订阅方的订阅数据存在错误")
        if form.get("schema") != "json" or param.get("key") != self.key:
            return _answer(False, "600", "您不是合法的订阅者")
        if not number or len(number) > 32:
            return _answer(False, "700", "单号不合法")
        existing = self.subscriptions.get(number)
        if existing is not None and not existing.aborted:
            existing.times += 1
            return _answer(False, "501", "重复订阅")
        sub = Subscription(
            company, number, callbackurl, str(parameters.get("salt", "")), str(parameters.get("phone", ""))
        )
        if existing is not None:  # re-subscribed after an abort: the trace so far is kept
            sub.scans, sub.state, sub.times = existing.scans, existing.state, existing.times + 1
        self.subscriptions[number] = sub
        return _answer(True, "200", "提交成功")

    async def query(self, request: web.Request) -> web.Response:
        if (fault := self._fault("/poll/query.do")) is not None:
            return fault
        form = await request.post()
        param_text = str(form.get("param", ""))
        if form.get("customer") != self.customer or form.get("sign") != md5_upper(
            param_text + self.key + self.customer
        ):
            return _answer(False, "601", "签名错误")
        try:
            param = json.loads(param_text)
            number = str(param["num"])
        except (ValueError, KeyError, TypeError):
            return _answer(False, "400", "参数错误")
        sub = self.subscriptions.get(number)
        if sub is None or not sub.scans:
            return _answer(False, "500", "查询无结果，请隔段时间再查")
        return web.json_response({"message": "ok", "status": "200", **self._last_result(sub)})

    def _last_result(
        self, sub: Subscription, state: str | None = None, scans: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        state = sub.state if state is None else state
        return {
            "state": state,
            "ischeck": "1" if state in ("3", "4") else "0",
            "condition": "F00",
            "com": sub.company,
            "nu": sub.number,
            "data": list(sub.scans if scans is None else scans),
        }

    # -- control API -----------------------------------------------------------------------------
    def add_scan(self, number: str, state: str, context: str = "", time: str | None = None) -> None:
        sub = self.subscriptions[number]
        when = time or datetime.now(CST).strftime("%Y-%m-%d %H:%M:%S")
        scan = {
            "time": when,
            "ftime": when,
            "context": context or f"快件{STATE_STATUS.get(state, '在途')}",
            "status": STATE_STATUS.get(state, "在途"),
        }
        sub.scans.insert(0, scan)
        sub.state = state

    async def push(
        self,
        number: str,
        state: str = "0",
        *,
        context: str = "",
        time: str | None = None,
        status: str = "polling",
        sign: str = "good",
        message: str = "",
        scans: list[dict[str, Any]] | None = None,
    ) -> tuple[int, Any]:
        """Send a push for ``number`` to its callbackurl; returns (HTTP status, answer).

        With ``scans`` (newest first; ``[]`` for none) the push carries exactly those in ``state``,
        and the subscription's own trace is left as it was.
        """
        sub = self.subscriptions[number]
        if scans is not None:
            last_result = self._last_result(sub, state, scans)
        else:
            if status == "abort":
                sub.aborted = True
            else:
                self.add_scan(number, state, context, time)
            last_result = self._last_result(sub)
        body = {
            "status": status,
            "billstatus": "got",
            "message": message or ("3天查询无记录" if status == "abort" else ""),
            "autoCheck": "0",
            "comOld": "",
            "comNew": "",
            "lastResult": last_result,
        }
        param = json.dumps(body, ensure_ascii=False)
        signature = {"good": md5_upper(param + sub.salt), "bad": md5_upper(param + "wrong-salt"), "none": ""}[
            sign
        ]
        sub.last_push = (param, signature)
        return await self._send(sub.callbackurl, param, signature)

    async def repeat(self, number: str) -> tuple[int, Any]:
        sub = self.subscriptions[number]
        assert sub.last_push is not None, "nothing pushed yet"
        return await self._send(sub.callbackurl, *sub.last_push)

    async def _send(self, url: str, param: str, signature: str) -> tuple[int, Any]:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        form = {"param": param}
        if signature:
            form["sign"] = signature
        async with self._http.post(url, data=form, timeout=aiohttp.ClientTimeout(total=10)) as resp:
            text = await resp.text()
            try:
                return resp.status, json.loads(text)
            except ValueError:
                return resp.status, text

    async def push_handler(self, request: web.Request) -> web.Response:
        data = await request.json()
        if data.get("number") not in self.subscriptions:
            return web.json_response({"error": "not subscribed"}, status=404)
        status, answer = await self.push(
            data["number"],
            str(data.get("state", "0")),
            context=data.get("context", ""),
            time=data.get("time"),
            status=data.get("status", "polling"),
            sign=data.get("sign", "good"),
            scans=data.get("scans"),
        )
        return web.json_response({"status": status, "answer": answer})

    async def repeat_handler(self, request: web.Request) -> web.Response:
        data = await request.json()
        status, answer = await self.repeat(data["number"])
        return web.json_response({"status": status, "answer": answer})

    async def scan_handler(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.add_scan(data["number"], str(data.get("state", "0")), data.get("context", ""), data.get("time"))
        return web.json_response({"ok": True})

    async def list_subscriptions(self, request: web.Request) -> web.Response:
        return web.json_response(
            [
                {
                    "company": s.company,
                    "number": s.number,
                    "callbackurl": s.callbackurl,
                    "times": s.times,
                    "aborted": s.aborted,
                    "state": s.state,
                }
                for s in self.subscriptions.values()
            ]
        )

    async def add_fault(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.faults.append(Fault(**data))
        return web.json_response({"ok": True})


def _answer(result: bool, code: str, message: str) -> web.Response:
    return web.json_response({"result": result, "returnCode": code, "message": message})


def main() -> None:
    parser = argparse.ArgumentParser(description="Local kuaidi100 simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9101)
    parser.add_argument("--key", default="dev-kuaidi100-key")
    parser.add_argument("--customer", default="dev-kuaidi100-customer")
    args = parser.parse_args()
    sim = Kuaidi100Simulator(args.key, args.customer)
    print(f"kuaidi100 simulator on http://{args.host}:{args.port}", flush=True)
    web.run_app(sim.app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
