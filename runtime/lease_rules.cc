// The pure lease rules. See lease_rules.h for why only our own steady clock
// judges a record.

#include "runtime/lease_rules.h"

#include <algorithm>

namespace baton::runtime {

void LeaseObservation::Saw(const std::string& host, const std::string& id, uint64_t seq,
                           LeaseClock::time_point now) {
  auto it = seen_.find(host);
  if (it != seen_.end() && it->second.id == id && it->second.seq == seq) return;
  seen_[host] = Seen{id, seq, now};
}

void LeaseObservation::Forget(const std::string& host) { seen_.erase(host); }

bool LeaseObservation::Expired(const std::string& host, LeaseClock::time_point now,
                               std::chrono::milliseconds ttl) const {
  auto it = seen_.find(host);
  if (it == seen_.end()) return false;
  return now - it->second.since >= ttl;
}

std::optional<LeaseClock::time_point> LeaseObservation::FirstSeen(const std::string& host) const {
  auto it = seen_.find(host);
  if (it == seen_.end()) return std::nullopt;
  return it->second.since;
}

LeaseClock::time_point HolderDeadline(LeaseClock::time_point last_quorum_round,
                                      std::chrono::milliseconds ttl) {
  return last_quorum_round + ttl * 8 / 10;
}

LeaseClock::time_point StandbyEarliestTake(LeaseClock::time_point first_seen,
                                           std::chrono::milliseconds ttl) {
  return first_seen + ttl;
}

size_t LeaseMajority(size_t hosts_in_file) { return hosts_in_file / 2 + 1; }

std::string HolderIdentity(const std::string& holder) {
  size_t pid = holder.rfind(" pid ");
  return pid == std::string::npos ? holder : holder.substr(0, pid);
}

bool DeadProcessOfOurs(const LeaseRecord& record, const std::string& our_holder,
                       const std::string& our_boot_id, long our_pid, bool record_pid_exists) {
  // An empty boot id could match another machine's empty one: never trust it.
  if (record.boot_id.empty() || record.boot_id != our_boot_id) return false;
  if (record.pid <= 0 || record.pid == our_pid) return false;
  if (HolderIdentity(record.holder) != HolderIdentity(our_holder)) return false;
  return !record_pid_exists;
}

LeaseStep JudgeLeaseRecord(const std::optional<LeaseRecord>& record, bool ours, bool expired,
                           bool dead_ours) {
  if (!record) return LeaseStep::kCreate;
  if (ours) return LeaseStep::kKeep;
  if (expired || dead_ours) return LeaseStep::kReplace;
  return LeaseStep::kBlocked;
}

uint64_t NextLeaseTerm(const std::vector<LeaseRecord>& seen) {
  uint64_t highest = 0;
  for (const LeaseRecord& record : seen) highest = std::max(highest, record.term);
  return highest + 1;
}

}  // namespace baton::runtime
