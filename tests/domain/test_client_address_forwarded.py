"""X-Forwarded-For is believed only from trusted proxies."""

import pytest

from server.domain.client_address import client_address, parse_networks

PROXIES = ("10.0.0.1/32", "192.168.0.0/24")


def test_no_trusted_proxies_ignores_the_header():
    assert client_address("127.0.0.1", ["203.0.113.7"], ()) == "127.0.0.1"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_claim_another_address():
    assert client_address("198.51.100.2", ["203.0.113.7"], PROXIES) == "198.51.100.2"


def test_a_trusted_proxy_names_the_client():
    assert client_address("10.0.0.1", ["203.0.113.7"], PROXIES) == "203.0.113.7"


def test_the_right_most_untrusted_hop_wins_over_what_the_client_wrote():
    # the client wrote 1.2.3.4 itself; the proxies appended the real address
    assert client_address("10.0.0.1", ["1.2.3.4, 203.0.113.7", "192.168.0.5"], PROXIES) == "203.0.113.7"


def test_garbage_or_an_empty_header_leaves_the_last_trusted_hop():
    assert client_address("10.0.0.1", [], PROXIES) == "10.0.0.1"
    assert client_address("10.0.0.1", ["not-an-ip"], PROXIES) == "10.0.0.1"
    assert client_address("10.0.0.1", ["192.168.0.9"], PROXIES) == "192.168.0.9"  # all trusted: left-most


def test_a_non_ip_peer_is_never_trusted():
    assert client_address("testclient", ["203.0.113.7"], PROXIES) == "testclient"


def test_parse_networks_names_the_bad_entry():
    assert [str(n) for n in parse_networks("10.0.0.1, ::1, 172.16.0.0/12,")] == [
        "10.0.0.1/32", "::1/128", "172.16.0.0/12"]
    with pytest.raises(ValueError, match="proxy.local"):
        parse_networks("10.0.0.1, proxy.local")
