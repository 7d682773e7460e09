// The pure lease rules: expiry by our own clock, the holder's deadline, the
// fast take of a dead process of ours, the take step and the quorum.

#include "runtime/lease_rules.h"

#include <catch2/catch.hpp>

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const LeaseClock::time_point kStart{seconds(1000)};
constexpr milliseconds kTtl{10000};

LeaseRecord Record(const std::string& holder, const std::string& boot, long pid) {
  LeaseRecord record;
  record.host = "lab1";
  record.id = "c0ffee";
  record.holder = holder;
  record.term = 3;
  record.seq = 7;
  record.boot_id = boot;
  record.pid = pid;
  return record;
}

TEST_CASE("lease: a record unchanged for ttl by our own clock is expired", "[runtime][lease]") {
  LeaseObservation seen;
  seen.Saw("lab1", "c0ffee", 7, kStart);
  seen.Saw("lab1", "c0ffee", 7, kStart + seconds(5));  // the same pair: still timed from kStart
  CHECK_FALSE(seen.Expired("lab1", kStart + milliseconds(9999), kTtl));
  CHECK(seen.Expired("lab1", kStart + kTtl, kTtl));
}

TEST_CASE("lease: a changed seq resets the observation", "[runtime][lease]") {
  LeaseObservation seen;
  seen.Saw("lab1", "c0ffee", 7, kStart);
  seen.Saw("lab1", "c0ffee", 8, kStart + seconds(9));
  CHECK_FALSE(seen.Expired("lab1", kStart + seconds(12), kTtl));
  CHECK(seen.Expired("lab1", kStart + seconds(19), kTtl));
}

TEST_CASE("lease: a new record id under the same seq resets the observation", "[runtime][lease]") {
  LeaseObservation seen;
  seen.Saw("lab1", "c0ffee", 1, kStart);
  seen.Saw("lab1", "beef", 1, kStart + seconds(9));
  CHECK_FALSE(seen.Expired("lab1", kStart + seconds(12), kTtl));
}

TEST_CASE("lease: a host never seen is not expired", "[runtime][lease]") {
  LeaseObservation seen;
  seen.Saw("lab1", "c0ffee", 7, kStart);
  seen.Forget("lab1");
  CHECK_FALSE(seen.Expired("lab1", kStart + seconds(60), kTtl));
  CHECK_FALSE(seen.Expired("lab2", kStart + seconds(60), kTtl));
  CHECK_FALSE(seen.FirstSeen("lab1").has_value());
}

TEST_CASE("lease: the holder's deadline precedes any standby's takeover", "[runtime][lease]") {
  // The holder's round starts at kStart and writes seq; a standby can only
  // read that seq after the round began, so its first sight is >= kStart.
  LeaseClock::time_point holder_deadline = HolderDeadline(kStart, kTtl);
  CHECK(holder_deadline == kStart + seconds(8));
  for (milliseconds seen_after : {milliseconds(0), milliseconds(1), milliseconds(1500)}) {
    LeaseClock::time_point take = StandbyEarliestTake(kStart + seen_after, kTtl);
    CHECK(take - holder_deadline >= kTtl / 5);
  }
}

TEST_CASE("lease: a dead process of ours on this boot is taken at once", "[runtime][lease]") {
  LeaseRecord left = Record("alice@lab1 pid 4242", "boot-a", 4242);
  CHECK(DeadProcessOfOurs(left, "alice@lab1 pid 5000", "boot-a", 5000, false));
  CHECK(JudgeLeaseRecord(left, false, false, true) == LeaseStep::kReplace);
}

TEST_CASE("lease: a record of ours is not taken at once unless its process is gone",
          "[runtime][lease]") {
  LeaseRecord left = Record("alice@lab1 pid 4242", "boot-a", 4242);
  CHECK_FALSE(DeadProcessOfOurs(left, "alice@lab1 pid 5000", "boot-a", 5000, true));
  CHECK_FALSE(DeadProcessOfOurs(left, "alice@lab1 pid 5000", "boot-b", 5000, false));
  CHECK_FALSE(DeadProcessOfOurs(left, "bob@lab1 pid 5000", "boot-a", 5000, false));
  CHECK_FALSE(DeadProcessOfOurs(left, "alice@lab1 pid 4242", "boot-a", 4242, false));
  CHECK_FALSE(
      DeadProcessOfOurs(Record("alice@lab1 pid 1", "", 1), "alice@lab1 pid 2", "", 2, false));
}

TEST_CASE("lease: the take step per host record", "[runtime][lease]") {
  LeaseRecord live = Record("bob@lab2 pid 1", "boot-b", 1);
  CHECK(JudgeLeaseRecord(std::nullopt, false, false, false) == LeaseStep::kCreate);
  CHECK(JudgeLeaseRecord(live, true, true, false) == LeaseStep::kKeep);
  CHECK(JudgeLeaseRecord(live, false, true, false) == LeaseStep::kReplace);
  CHECK(JudgeLeaseRecord(live, false, false, false) == LeaseStep::kBlocked);
}

TEST_CASE("lease: the quorum is a majority of the hosts-file hosts", "[runtime][lease]") {
  CHECK(LeaseMajority(1) == 1);
  CHECK(LeaseMajority(2) == 2);
  CHECK(LeaseMajority(3) == 2);
  CHECK(LeaseMajority(4) == 3);
  CHECK(LeaseMajority(5) == 3);
  CHECK_FALSE(LeaseQuorumReached(1, 2));
  CHECK(LeaseQuorumReached(2, 2));
  CHECK_FALSE(LeaseQuorumReached(0, 0));
}

TEST_CASE("lease: a new record's term exceeds every term seen", "[runtime][lease]") {
  LeaseRecord a = Record("a pid 1", "x", 1), b = Record("b pid 2", "x", 2);
  a.term = 4;
  b.term = 9;
  CHECK(NextLeaseTerm({}) == 1);
  CHECK(NextLeaseTerm({a, b}) == 10);
}

TEST_CASE("lease: the holder identity drops the pid", "[runtime][lease]") {
  CHECK(HolderIdentity("alice@lab1 pid 4242") == "alice@lab1");
  CHECK(HolderIdentity("alice@lab1") == "alice@lab1");
}

}  // namespace
}  // namespace baton::runtime
