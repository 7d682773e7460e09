// services.*.ports and services.*.expose in the canonical stage.

#include <catch2/catch.hpp>

#include <string>

#include "tests/compose/canonical_fixture.h"

namespace baton::compose {
namespace {

using testing::CheckSame;
using testing::WebErrorOf;
using testing::WebKey;

void CheckPorts(const std::string& spec, const std::string& expected) {
  Node ports = WebKey("    ports: [" + spec + "]\n", "ports");
  INFO(spec);
  CheckSame(ports, expected);
}

TEST_CASE("canonical ports: a number is a container port", "[compose][canonical]") {
  CheckPorts("3000", "[{mode: ingress, target: 3000, protocol: tcp}]");
}

TEST_CASE("canonical ports: a container range expands to one entry per port",
          "[compose][canonical]") {
  CheckPorts("\"3001-3003\"",
             "- {mode: ingress, target: 3001, protocol: tcp}\n"
             "- {mode: ingress, target: 3002, protocol: tcp}\n"
             "- {mode: ingress, target: 3003, protocol: tcp}\n");
}

TEST_CASE("canonical ports: host:container publishes the host port as a string",
          "[compose][canonical]") {
  CheckPorts("\"8000:80\"", "[{mode: ingress, target: 80, published: \"8000\", protocol: tcp}]");
}

TEST_CASE("canonical ports: range pairs expand port by port", "[compose][canonical]") {
  CheckPorts("\"9090-9091:8080-8081\"",
             "- {mode: ingress, target: 8080, published: \"9090\", protocol: tcp}\n"
             "- {mode: ingress, target: 8081, published: \"9091\", protocol: tcp}\n");
}

TEST_CASE("canonical ports: a host range for one container port stays one entry",
          "[compose][canonical]") {
  CheckPorts("\"8000-8010:80\"",
             "[{mode: ingress, target: 80, published: \"8000-8010\", protocol: tcp}]");
}

TEST_CASE("canonical ports: a host address is kept", "[compose][canonical]") {
  CheckPorts("\"127.0.0.1:8001:8001\"",
             "[{mode: ingress, host_ip: 127.0.0.1, target: 8001, published: \"8001\", "
             "protocol: tcp}]");
}

TEST_CASE("canonical ports: a host address with ranges expands", "[compose][canonical]") {
  CheckPorts("\"127.0.0.1:5000-5001:5000-5001\"",
             "- {mode: ingress, host_ip: 127.0.0.1, target: 5000, published: \"5000\", "
             "protocol: tcp}\n"
             "- {mode: ingress, host_ip: 127.0.0.1, target: 5001, published: \"5001\", "
             "protocol: tcp}\n");
}

TEST_CASE("canonical ports: a host address without host port publishes none",
          "[compose][canonical]") {
  CheckPorts("\"127.0.0.1::80\"", "[{mode: ingress, host_ip: 127.0.0.1, target: 80, "
                                  "protocol: tcp}]");
}

TEST_CASE("canonical ports: an IPv6 address in brackets loses them", "[compose][canonical]") {
  CheckPorts("\"[::1]:80:8080\"",
             "[{mode: ingress, host_ip: \"::1\", target: 8080, published: \"80\", "
             "protocol: tcp}]");
}

TEST_CASE("canonical ports: a bare IPv6 address is everything before the last two parts",
          "[compose][canonical]") {
  CheckPorts("\"fe80::1:80:8080\"",
             "[{mode: ingress, host_ip: \"fe80::1\", target: 8080, published: \"80\", "
             "protocol: tcp}]");
}

TEST_CASE("canonical ports: udp and sctp protocols are kept", "[compose][canonical]") {
  CheckPorts("\"53:53/udp\", \"9:9/SCTP\"",
             "- {mode: ingress, target: 53, published: \"53\", protocol: udp}\n"
             "- {mode: ingress, target: 9, published: \"9\", protocol: sctp}\n");
}

TEST_CASE("canonical ports: the long form gets mode and protocol defaults",
          "[compose][canonical]") {
  CheckPorts("{target: \"80\", published: 8080, app_protocol: http}",
             "[{target: 80, published: \"8080\", app_protocol: http, mode: ingress, "
             "protocol: tcp}]");
}

TEST_CASE("canonical ports: the long form keeps mode host and a published range",
          "[compose][canonical]") {
  CheckPorts("{target: 80, published: \"8000-8010\", mode: host, protocol: UDP}",
             "[{target: 80, published: \"8000-8010\", mode: host, protocol: udp}]");
}

TEST_CASE("canonical ports: three numbers are not an address", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports:\n      - 80\n      - \"80:80:80\"\n") ==
        "compose.yaml:5:9: services.web.ports[1]: invalid port \"80:80:80\": "
        "\"80\" is not an IP address");
}

TEST_CASE("canonical ports: a port above 65535 is out of range", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [\"99999:80\"]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: port 99999 out of range 1-65535");
}

TEST_CASE("canonical ports: port 0 is out of range", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [0]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: port 0 out of range 1-65535");
}

TEST_CASE("canonical ports: a word is not a port", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [abc]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: invalid port \"abc\": "
        "\"abc\" is not a port number");
}

TEST_CASE("canonical ports: ranges of different sizes are rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [\"9090-9092:8080-8081\"]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: invalid port \"9090-9092:8080-8081\": "
        "host range 9090-9092 and container range 8080-8081 differ in size");
}

TEST_CASE("canonical ports: a reversed range is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [\"90-80\"]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: invalid port \"90-80\": "
        "range 90-80 is reversed");
}

TEST_CASE("canonical ports: an unknown protocol is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [\"80/icmp\"]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: invalid port \"80/icmp\": "
        "unknown protocol \"icmp\": must be tcp, udp or sctp");
}

TEST_CASE("canonical ports: a missing container port is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: [\"80:\"]\n") ==
        "compose.yaml:3:13: services.web.ports[0]: invalid port \"80:\": no container port");
}

TEST_CASE("canonical ports: a long form needs a target", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports:\n      - published: 80\n") ==
        "compose.yaml:4:9: services.web.ports[0]: missing required key \"target\"");
}

TEST_CASE("canonical ports: a long form target is range checked", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports:\n      - target: 70000\n") ==
        "compose.yaml:4:17: services.web.ports[0].target: port 70000 out of range 1-65535");
}

TEST_CASE("canonical ports: a long form with an unknown key is rejected",
          "[compose][canonical]") {
  CHECK(WebErrorOf("    ports:\n      - target: 80\n        host: 1.2.3.4\n") ==
        "compose.yaml:5:9: services.web.ports[0]: unknown key \"host\"");
}

TEST_CASE("canonical ports: ports must be a sequence", "[compose][canonical]") {
  CHECK(WebErrorOf("    ports: \"80:80\"\n") ==
        "compose.yaml:3:12: services.web.ports: must be a sequence, got string");
}

TEST_CASE("canonical expose: numbers become strings", "[compose][canonical]") {
  Node expose = WebKey("    expose: [\"3000\", 8000, \"53/udp\", \"9000-9001\"]\n", "expose");
  REQUIRE(expose.items().size() == 4);
  CHECK(expose.items()[1].scalar() == "8000");
  CHECK(expose.items()[1].quoted());
}

TEST_CASE("canonical expose: an invalid entry is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    expose: [\"80/tcpx\"]\n") ==
        "compose.yaml:3:14: services.web.expose[0]: invalid expose \"80/tcpx\": "
        "unknown protocol \"tcpx\": must be tcp, udp or sctp");
}

}  // namespace
}  // namespace baton::compose
