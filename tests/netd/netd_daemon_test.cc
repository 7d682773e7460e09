#include <catch2/catch.hpp>

#include "runtime/netd/netd_daemon.h"
#include "runtime/netd/netd_log.h"

namespace baton::netd {
namespace {

TEST_CASE("daemon: remote hosts are the configured peers heard from", "[netd][daemon]") {
  NetdConfig config;
  config.host = "lab1";
  config.hosts = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}};
  std::vector<Announcement> peers = {
      {"lab2", "02:ba:00:00:00:02", {{"n", "10.210.2.0/24", "10.210.2.1"}}, {}},
      {"lab1", "", {}, {}},      // itself: never a remote
      {"stranger", "", {}, {}},  // not in the config
  };
  std::vector<RemoteHost> remote = RemoteHostsOf(config, peers);
  REQUIRE(remote.size() == 1);
  CHECK(remote[0].peer.address == "10.209.0.12");
  CHECK(remote[0].vxlan_mac == "02:ba:00:00:00:02");
  CHECK(remote[0].networks.size() == 1);
}

TEST_CASE("daemon: log lines start with a utc timestamp", "[netd][daemon]") {
  CHECK(LogTimestamp(1714564800123) == "2024-05-01T12:00:00.123Z ");
}

}  // namespace
}  // namespace baton::netd
