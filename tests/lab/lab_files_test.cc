#include <catch2/catch.hpp>

#include "cli/lab/lab_files.h"
#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {
namespace {

TEST_CASE("lab files: hosts file has the agreed shape", "[lab][files]") {
  LabLayout layout("/var/lib/baton-lab");
  CHECK(RenderHostsFile(layout, layout.Hosts(2)) ==
        "# Written by `baton lab up`; removed by `baton lab down`.\n"
        "hosts:\n"
        "  - name: lab1\n"
        "    address: ssh://root@10.209.0.11:22\n"
        "    identity_file: /var/lib/baton-lab/id_ed25519\n"
        "    known_hosts_file: /var/lib/baton-lab/known_hosts\n"
        "    labels: {zone: a, lab: \"true\"}\n"
        "  - name: lab2\n"
        "    address: ssh://root@10.209.0.12:22\n"
        "    identity_file: /var/lib/baton-lab/id_ed25519\n"
        "    known_hosts_file: /var/lib/baton-lab/known_hosts\n"
        "    labels: {zone: b, lab: \"true\"}\n"
        "cluster:\n"
        "  dns_upstream: [10.209.0.1]\n");
}

TEST_CASE("lab files: paths with YAML-significant characters are quoted", "[lab][files]") {
  LabLayout layout("/tmp/my lab: \"x\"");
  std::string text = RenderHostsFile(layout, layout.Hosts(1));
  CHECK(text.find("    identity_file: \"/tmp/my lab: \\\"x\\\"/id_ed25519\"\n") !=
        std::string::npos);
}

TEST_CASE("lab files: known_hosts line is address, key and the lab comment", "[lab][files]") {
  LabLayout layout("/d");
  CHECK(KnownHostsLine(layout.Host(3), "ssh-ed25519 AAAAkey baton-lab lab3\n") ==
        "10.209.0.13 ssh-ed25519 AAAAkey baton-lab\n");
}

TEST_CASE("lab files: malformed public key gives no known_hosts line", "[lab][files]") {
  CHECK(KnownHostsLine(LabLayout("/d").Host(1), "garbage").empty());
}

TEST_CASE("lab files: removing lab entries keeps the user's own lines", "[lab][files]") {
  std::string known =
      "github.com ssh-ed25519 AAAAgh\n"
      "10.209.0.11 ssh-ed25519 AAAAold baton-lab\n"
      "example.org ssh-rsa AAAAex comment\n";
  CHECK(WithoutLabEntries(known, {}) ==
        "github.com ssh-ed25519 AAAAgh\nexample.org ssh-rsa AAAAex comment\n");
}

TEST_CASE("lab files: replacing lab entries drops stale lines for lab addresses",
          "[lab][files]") {
  std::string known = "10.209.0.12 ssh-ed25519 AAAAstale\nother ssh-ed25519 AAAAo\n";
  CHECK(WithoutLabEntries(known, LabLayout("/d").Hosts(2)) == "other ssh-ed25519 AAAAo\n");
}

TEST_CASE("lab files: sshd allows root by key only", "[lab][files]") {
  std::string config = RenderSshdConfig(LabLayout("/d").Host(1));
  CHECK(config.find("\nPermitRootLogin prohibit-password\n") != std::string::npos);
  CHECK(config.find("\nPasswordAuthentication no\n") != std::string::npos);
  CHECK(config.find("\nKbdInteractiveAuthentication no\n") != std::string::npos);
  CHECK(config.find("\nAuthorizedKeysFile /etc/ssh/authorized_keys\n") != std::string::npos);
}

}  // namespace
}  // namespace baton::cli::lab
