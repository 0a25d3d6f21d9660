"""A phone whose clock is centuries off (a reset clock, or a fuzzer) still gets
its heartbeat recorded: the skew is capped to what the column holds instead of
overflowing it (a 500 on PostgreSQL)."""

from server.db.tables import DeviceSeen

MAX_SKEW = 2**31 - 1  # what a 32-bit column holds

HEADERS = {"X-Rounds-Client": "pwa"}


async def test_clock_centuries_off_is_recorded_as_far_off(api):
    await api.login("guard")
    for device_time, skew in (("0104-07-09T19:59:13+15:57", -MAX_SKEW), ("9999-01-01T00:00:00+00:00", MAX_SKEW)):
        response = await api.client.post("/api/v1/sync/status", headers=HEADERS,
                                          json={"device_id": f"d-{skew}", "device_time": device_time})
        assert response.status_code == 200, response.text
        row = await DeviceSeen.select(DeviceSeen.clock_skew_seconds).where(
            DeviceSeen.device_id == f"d-{skew}").first().run()
        assert row["clock_skew_seconds"] == skew
