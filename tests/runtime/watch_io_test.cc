// PoolWatchIo's own state, without hosts: the options plans are made with
// and the restart status a standby keeps for when it gains the lease.

#include "runtime/watch_io.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "planner/labels.h"
#include "runtime/netd_container.h"

namespace baton::runtime {
namespace {

// The parts with a lease the test flips and a status file it writes.
struct Standby {
  bool held = false;
  int reads = 0;
  Result<std::string> status = Error::NotFound("", "no status");
  std::string published;

  PoolWatchParts Parts() {
    PoolWatchParts parts;
    parts.lease_held = [this](const std::string&) { return held; };
    parts.read_status = [this] {
      ++reads;
      return status;
    };
    parts.publish_status = [this](const std::string& json) { published = json; };
    parts.status_refresh = std::chrono::milliseconds(0);
    return parts;
  }
};

TEST_CASE("watch io: the status a standby read last is resumed once when the lease is gained",
          "[runtime][watcher][restart]") {
  Standby standby;
  PoolWatchIo io(standby.Parts());
  CHECK_FALSE(io.LeaseHeld("shop"));
  standby.status = std::string(R"({"web/1":{"failures":2}})");
  CHECK_FALSE(io.LeaseHeld("shop"));
  standby.status = Error::NotFound("", "no status");  // the old holder's hosts went away
  CHECK_FALSE(io.LeaseHeld("shop"));
  CHECK(standby.reads == 3);
  CHECK_FALSE(io.TakeResumedRestartStatus("shop"));  // not held yet
  standby.held = true;
  CHECK(io.LeaseHeld("shop"));
  CHECK(io.TakeResumedRestartStatus("shop") == std::string(R"({"web/1":{"failures":2}})"));
  CHECK_FALSE(io.TakeResumedRestartStatus("shop"));
  CHECK(io.LeaseHeld("shop"));
  CHECK(standby.reads == 3);  // the holder reads nothing
  io.PublishRestartStatus("shop", "{}");
  CHECK(standby.published == "{}");
}

TEST_CASE("watch io: a standby re-reads the status at most once per refresh period",
          "[runtime][watcher][restart]") {
  Standby standby;
  PoolWatchParts parts = standby.Parts();
  parts.status_refresh = std::chrono::hours(1);
  PoolWatchIo io(std::move(parts));
  for (int i = 0; i < 3; ++i) io.LeaseHeld("shop");
  CHECK(standby.reads == 1);
}

TEST_CASE("watch io: plans get the cluster's address space and each host's netd hash",
          "[runtime][watcher][failover]") {
  NetdDeployment netd;
  netd.containers["lab1"].labels[planner::labels::kSpecHash] = "hash-1";
  netd.containers["lab2"].labels[planner::labels::kSpecHash] = "hash-2";
  PoolWatchParts parts;
  parts.netd = &netd;
  parts.cluster.subnet = "172.30.0.0/20";
  parts.cluster.slice_prefix = 26;
  PoolWatchIo io(std::move(parts));
  planner::UpOptions options = io.PlanOptions("shop");
  CHECK(options.cluster_subnet == "172.30.0.0/20");
  CHECK(options.slice_prefix == 26);
  CHECK(options.netd_hashes == std::map<std::string, std::string>{{"lab1", "hash-1"},
                                                                  {"lab2", "hash-2"}});
  CHECK(PoolWatchIo(PoolWatchParts{}).PlanOptions("shop").netd_hashes.empty());
}

}  // namespace
}  // namespace baton::runtime
