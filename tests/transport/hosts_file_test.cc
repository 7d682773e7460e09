#include "transport/hosts_file.h"

#include <catch2/catch.hpp>

namespace baton::transport {
namespace {

using std::chrono::milliseconds;

std::string ErrorOf(std::string_view text) {
  auto parsed = ParseHostsFile("baton.hosts.yaml", text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == Error::Kind::kInvalid);
  return parsed.error().ToString();
}

constexpr const char* kLabFile = R"(hosts:
  - name: lab1
    address: ssh://root@10.209.0.11:22
    identity_file: /lab/id_ed25519
    known_hosts_file: known_hosts
    socket: /run/docker.sock
    labels: {zone: a, disk: ssd}
  - name: lab2
    address: ssh://10.209.0.12
settings:
  connect_timeout: 2s
)";

TEST_CASE("hosts file: the lab's file is read whole", "[transport][hosts_file]") {
  auto parsed = ParseHostsFile("/lab/baton.hosts.yaml", kLabFile);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->hosts.size() == 2);
  const HostConfig& lab1 = parsed->hosts[0];
  CHECK(lab1.name == "lab1");
  CHECK(lab1.ssh == SshAddress{"root", "10.209.0.11", 22});
  CHECK(lab1.identity_file == "/lab/id_ed25519");
  CHECK(lab1.known_hosts_file == "/lab/known_hosts");
  CHECK(lab1.socket == "/run/docker.sock");
  CHECK(lab1.labels == std::map<std::string, std::string>{{"disk", "ssd"}, {"zone", "a"}});
  CHECK(parsed->settings.connect_timeout == milliseconds(2000));
}

TEST_CASE("hosts file: optional keys take their defaults", "[transport][hosts_file]") {
  auto parsed = ParseHostsFile("baton.hosts.yaml", kLabFile);
  REQUIRE(parsed.ok());
  const HostConfig& lab2 = parsed->hosts[1];
  CHECK(lab2.ssh == SshAddress{"", "10.209.0.12", 0});
  CHECK(lab2.socket == "/var/run/docker.sock");
  CHECK(lab2.identity_file.empty());
  CHECK(lab2.known_hosts_file.empty());
  CHECK(lab2.labels.empty());
  CHECK(lab2.address() == "ssh://10.209.0.12");
}

TEST_CASE("hosts file: settings are optional", "[transport][hosts_file]") {
  auto parsed = ParseHostsFile("h.yaml", "hosts:\n  - {name: a, address: ssh://a}\n");
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->settings.connect_timeout.has_value());
}

TEST_CASE("hosts file: a bad address is located", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: lab1\n    address: tcp://10.0.0.1\n") ==
        "baton.hosts.yaml:3:14: hosts[0].address: unsupported scheme \"tcp\" "
        "(expected ssh://[user@]host[:port])");
}

TEST_CASE("hosts file: unknown keys are refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: lab1\n    adress: ssh://h\n") ==
        "baton.hosts.yaml:3:5: hosts[0].adress: unknown key (expected one of name, address, "
        "identity_file, known_hosts_file, socket, labels, cluster_address)");
}

TEST_CASE("hosts file: unknown top-level keys are refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - {name: a, address: ssh://a}\nsetings: {}\n") ==
        "baton.hosts.yaml:3:1: setings: unknown key (expected one of hosts, settings, cluster)");
}

TEST_CASE("hosts file: unknown settings are refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - {name: a, address: ssh://a}\nsettings:\n  timeout: 5s\n") ==
        "baton.hosts.yaml:4:3: settings.timeout: unknown key (expected one of connect_timeout)");
}

TEST_CASE("hosts file: duplicate keys are refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: a\n    address: ssh://a\n    name: b\n") ==
        "baton.hosts.yaml:4:5: hosts[0].name: duplicate key");
}

TEST_CASE("hosts file: duplicate host names are refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: lab1\n    address: ssh://a\n"
                "  - name: lab1\n    address: ssh://b\n") ==
        "baton.hosts.yaml:4:11: hosts[1].name: duplicate host name \"lab1\" "
        "(first defined on line 2)");
}

TEST_CASE("hosts file: a host without an address is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: lab1\n") ==
        "baton.hosts.yaml:2:5: hosts[0]: missing required key address");
}

TEST_CASE("hosts file: a host without a name is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - address: ssh://a\n") ==
        "baton.hosts.yaml:2:5: hosts[0]: missing required key name");
}

TEST_CASE("hosts file: an empty value is located at its key", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: lab1\n    address:\n") ==
        "baton.hosts.yaml:3:5: hosts[0].address: expected a string, got nothing");
}

TEST_CASE("hosts file: an empty string is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: \"\"\n    address: ssh://a\n") ==
        "baton.hosts.yaml:2:11: hosts[0].name: must not be empty");
}

TEST_CASE("hosts file: host names are restricted", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: lab 1\n    address: ssh://a\n") ==
        "baton.hosts.yaml:2:11: hosts[0].name: invalid host name \"lab 1\" (letters, digits, "
        "'.', '_' and '-', starting with a letter or digit)");
}

TEST_CASE("hosts file: the socket path must be absolute", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: a\n    address: ssh://a\n    socket: docker.sock\n") ==
        "baton.hosts.yaml:4:13: hosts[0].socket: socket path must be absolute, got "
        "\"docker.sock\"");
}

TEST_CASE("hosts file: labels must be a mapping", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: a\n    address: ssh://a\n    labels: [a, b]\n") ==
        "baton.hosts.yaml:4:13: hosts[0].labels: expected a mapping, got a sequence");
}

TEST_CASE("hosts file: label values must be strings", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: a\n    address: ssh://a\n    labels: {zone: [a]}\n") ==
        "baton.hosts.yaml:4:20: hosts[0].labels.zone: expected a string, got a sequence");
}

TEST_CASE("hosts file: hosts must be a sequence", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  lab1: ssh://a\n") ==
        "baton.hosts.yaml:2:3: hosts: expected a sequence, got a mapping");
}

TEST_CASE("hosts file: an empty hosts list is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts: []\n") == "baton.hosts.yaml:1:8: hosts: no hosts listed");
}

TEST_CASE("hosts file: a missing hosts key is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("settings: {connect_timeout: 5s}\n") ==
        "baton.hosts.yaml:1:1: missing required key hosts");
}

TEST_CASE("hosts file: an empty file is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("# nothing yet\n") ==
        "baton.hosts.yaml: empty hosts file (expected a mapping with a hosts list)");
}

TEST_CASE("hosts file: a top-level sequence is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf("- name: a\n") ==
        "baton.hosts.yaml:1:1: expected a mapping with a hosts list, got a sequence");
}

TEST_CASE("hosts file: a bad connect timeout is located", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - {name: a, address: ssh://a}\nsettings:\n  connect_timeout: 5\n") ==
        "baton.hosts.yaml:4:20: settings.connect_timeout: invalid duration \"5\" (expected a "
        "number and a unit: 500ms, 5s, 1m30s)");
}

TEST_CASE("hosts file: YAML syntax errors are located", "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - name: a\n   address: ssh://a\n") ==
        "baton.hosts.yaml:3:4: end of sequence not found");
}

}  // namespace
}  // namespace baton::transport
