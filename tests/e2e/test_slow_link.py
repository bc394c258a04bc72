"""A cold visit over a weak mobile link: 0.9 Mbit/s and 300 ms (Chromium's
Network.emulateNetworkConditions), against the Pages-like test server (gzip).

The runtime (about 5 MB gzip) takes most of a minute to arrive. The start-up
limit measures a stall, not the total time, so the visit ends with the live
result; on the way, the status shows the download moving ("x van y MB")."""

from __future__ import annotations

import time

from playwright.sync_api import expect

KBIT = 1000 / 8  # bytes per second in one kbit/s


def test_a_cold_visit_over_a_slow_link_ends_with_the_live_result(new_site_context, make_calc, timings):
    context = new_site_context()
    calc = make_calc(context)
    page = calc.page
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 300, "downloadThroughput": 900 * KBIT, "uploadThroughput": 900 * KBIT})
    started = time.perf_counter()
    calc.open(ready=False)
    seen = []
    status = page.locator('[data-kmo="status-text"]')
    while page.evaluate("() => window.kmoPortefeuille?.state.phase") == "loading":
        assert time.perf_counter() - started < 110, seen[-3:]
        text = status.text_content() or ""
        seen.append((round(time.perf_counter() - started, 1), status.get_attribute("data-kmo-bytes"), text))
        page.wait_for_timeout(1000)
    took = time.perf_counter() - started
    timings["slow_link_cold_visit_s"] = round(took, 1)
    assert page.evaluate("() => window.kmoPortefeuille.state.phase") == "ready", seen[-3:]
    calc.settled(timeout=20_000)
    expect(page.locator('[data-kmo="output"]')).to_have_attribute("data-state", "live")
    # The progress moved: several different byte counts, shown as megabytes of megabytes.
    counts = {int(bytes_) for _, bytes_, _ in seen if bytes_ and bytes_.isdigit() and int(bytes_) > 0}
    assert len(counts) >= 5, seen
    assert any(" MB)" in text and " van " in text for _, _, text in seen), seen
    assert took > 20, "the link was not slow: the emulation did not apply"
    page.close()
