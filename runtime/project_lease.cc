// ProjectLease: the lease thread (one round every `renew`: renew what we
// hold, observe and take the rest), the watchdog thread (declares the lease
// lost at the holder's deadline even while a round is stuck in an engine
// call), and the readers for `ps` and `baton events`.

#include "runtime/project_lease.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "runtime/deploy_lock.h"
#include "runtime/docker_client.h"
#include "runtime/project_lease_record.h"

namespace baton::runtime {

std::string LeaseRecordName(const std::string& project) { return "baton-lease-" + project; }

class ProjectLease::State {
 public:
  State(LeaseHostSource hosts, std::string project, LeaseOptions options,
        std::function<void(bool)> on_change);

  void StartThreads();
  // Requests both threads to stop and joins them. Not from on_change.
  void StopThreads();
  bool Held() const;
  std::stop_token LostToken() const;
  uint64_t Term() const;
  // Ends the lease: removes our records by id when `remove`, else leaves them.
  Status End(bool remove);
  void Publish(bool status, std::string text);

 private:
  struct HeldRecord {
    std::string id;
    uint64_t status_version = 0;  // what this record last received
    uint64_t events_version = 0;
  };
  struct Published {
    std::string status, events;
    uint64_t status_version = 0, events_version = 0;
  };

  void RunLease(std::stop_token stop);
  void RunWatchdog(std::stop_token stop);
  // One round; returns how many hosts hold our record after it.
  size_t Round(const std::vector<LeaseHost>& hosts, size_t quorum, std::stop_token stop);
  bool Renew(const LeaseHost& host, HeldRecord& record, const Published& published);
  // Observes and, where the rules allow, takes `host`'s record. False when
  // a candidate must stop here (a live record of another holder, a lost race).
  bool TakeOne(const LeaseHost& host, const std::optional<LeaseRecord>& seen,
               const Published& published, size_t& count);
  // Every host is observed each round, also those after one that blocks,
  // so that all of a dead holder's records expire together.
  void Observe(const std::string& host, const std::optional<LeaseRecord>& record);
  void AfterRound(const std::vector<LeaseHost>& hosts, size_t count, size_t quorum,
                  LeaseClock::time_point round_start);
  void RemoveAll(const std::vector<LeaseHost>& hosts);
  Published Snapshot() const;
  // The term our records carry (also while not yet held).
  uint64_t RecordTerm() const;
  // Calls on_change when Held's value differs from what it last reported.
  void Report();

  const LeaseHostSource hosts_;
  const std::string project_;
  const LeaseOptions options_;
  const std::function<void(bool)> on_change_;
  const lease_record::Maker maker_;

  mutable std::mutex mu_;
  std::condition_variable_any changed_;  // held_ or deadline_ changed
  bool held_ = false;                    // GUARDED_BY(mu_)
  LeaseClock::time_point deadline_;      // GUARDED_BY(mu_)
  std::stop_source lost_;                // GUARDED_BY(mu_)
  uint64_t term_ = 0;                    // GUARDED_BY(mu_)
  Published published_;                  // GUARDED_BY(mu_)

  std::mutex report_mu_;   // serialises on_change calls
  bool reported_ = false;  // GUARDED_BY(report_mu_)

  // Owned by the lease thread, or by whoever called StopThreads.
  std::map<std::string, HeldRecord> records_;  // by host
  LeaseObservation observation_;
  uint64_t seq_ = 0;
  uint64_t highest_term_ = 0;  // of any record ever seen, so terms only grow
  std::minstd_rand jitter_{std::random_device{}()};

  std::jthread watchdog_;
  std::jthread lease_;
};

ProjectLease::State::State(LeaseHostSource hosts, std::string project, LeaseOptions options,
                           std::function<void(bool)> on_change)
    : hosts_(std::move(hosts)),
      project_(std::move(project)),
      options_(std::move(options)),
      on_change_(std::move(on_change)),
      maker_{options_.holder.empty() ? ThisProcessHolder() : options_.holder,
             lease_record::ThisBootId(), static_cast<long>(::getpid())} {
  lost_.request_stop();  // not held yet
}

void ProjectLease::State::StartThreads() {
  watchdog_ = std::jthread([this](std::stop_token stop) { RunWatchdog(stop); });
  lease_ = std::jthread([this](std::stop_token stop) { RunLease(stop); });
}

void ProjectLease::State::StopThreads() {
  for (std::jthread* thread : {&lease_, &watchdog_}) {
    thread->request_stop();
    if (thread->joinable()) thread->join();
  }
}

bool ProjectLease::State::Held() const {
  std::lock_guard lock(mu_);
  return held_ && LeaseClock::now() < deadline_;
}

std::stop_token ProjectLease::State::LostToken() const {
  std::lock_guard lock(mu_);
  return lost_.get_token();
}

uint64_t ProjectLease::State::Term() const {
  std::lock_guard lock(mu_);
  return held_ ? term_ : 0;
}

void ProjectLease::State::Publish(bool status, std::string text) {
  std::lock_guard lock(mu_);
  if (status) {
    published_.status = std::move(text);
    ++published_.status_version;
  } else {
    published_.events = std::move(text);
    ++published_.events_version;
  }
}

uint64_t ProjectLease::State::RecordTerm() const {
  std::lock_guard lock(mu_);
  return term_;
}

ProjectLease::State::Published ProjectLease::State::Snapshot() const {
  std::lock_guard lock(mu_);
  return published_;
}

void ProjectLease::State::Report() {
  std::lock_guard report(report_mu_);
  bool held = Held();
  if (held == reported_) return;
  reported_ = held;
  if (on_change_) on_change_(held);
}

void ProjectLease::State::RunLease(std::stop_token stop) {
  while (!stop.stop_requested()) {
    LeaseClock::time_point round_start = LeaseClock::now();
    std::vector<LeaseHost> hosts = hosts_();
    size_t quorum = options_.quorum > 0 ? options_.quorum : LeaseMajority(hosts.size());
    size_t count = Round(hosts, quorum, stop);
    if (stop.stop_requested()) return;
    AfterRound(hosts, count, quorum, round_start);
    Report();
    LeaseClock::time_point next = round_start + options_.renew;
    // A candidate waits a little more, at random, so two that collided do
    // not collide again on every round.
    if (count < quorum)
      next += std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1000)(jitter_));
    std::unique_lock lock(mu_);
    changed_.wait_until(lock, stop, next, [] { return false; });
  }
}

size_t ProjectLease::State::Round(const std::vector<LeaseHost>& hosts, size_t quorum,
                                  std::stop_token stop) {
  ++seq_;
  Published published = Snapshot();
  size_t count = 0;
  for (const LeaseHost& host : hosts) {
    auto held = records_.find(host.name);
    if (held == records_.end() || host.docker == nullptr) continue;
    if (Renew(host, held->second, published)) ++count;
  }
  bool holding = count >= quorum;
  // Read every other host first, so that a new record's term exceeds all.
  std::map<std::string, std::optional<LeaseRecord>> seen;
  std::vector<LeaseRecord> all;
  for (const LeaseHost& host : hosts) {
    if (stop.stop_requested()) return count;
    if (host.docker == nullptr || records_.count(host.name) > 0) continue;
    Result<std::optional<LeaseRecord>> found =
        lease_record::Find(*host.docker, host.name, project_);
    if (!found.ok()) continue;  // unreadable this round: neither blocks nor counts
    Observe(host.name, *found);
    if (*found) all.push_back(**found);
    seen[host.name] = *found;
  }
  if (records_.empty()) {
    uint64_t next = std::max(NextLeaseTerm(all), highest_term_ + 1);
    std::lock_guard lock(mu_);
    term_ = next;
  }
  for (const LeaseHost& host : hosts) {
    auto it = seen.find(host.name);
    if (it == seen.end()) continue;
    if (!TakeOne(host, it->second, published, count) && !holding) break;
  }
  return count;
}

bool ProjectLease::State::Renew(const LeaseHost& host, HeldRecord& record,
                                const Published& published) {
  bool status = record.status_version < published.status_version;
  bool events = record.events_version < published.events_version;
  Status written = lease_record::WriteFiles(*host.docker, record.id, maker_.holder, RecordTerm(),
                                            seq_, status ? &published.status : nullptr,
                                            events ? &published.events : nullptr);
  if (!written.ok()) {
    // Gone: another candidate replaced it, so this host no longer counts.
    if (written.error().kind == Error::Kind::kNotFound) records_.erase(host.name);
    return false;
  }
  record.status_version = published.status_version;
  record.events_version = published.events_version;
  return true;
}

bool ProjectLease::State::TakeOne(const LeaseHost& host, const std::optional<LeaseRecord>& seen,
                                  const Published& published, size_t& count) {
  bool dead_ours = seen && DeadProcessOfOurs(*seen, maker_.holder, maker_.boot_id, maker_.pid,
                                             lease_record::ProcessExists(seen->pid));
  bool expired = observation_.Expired(host.name, LeaseClock::now(), options_.ttl);
  LeaseStep step = JudgeLeaseRecord(seen, false, expired, dead_ours);
  if (step == LeaseStep::kBlocked) return false;
  // By id: if another candidate already replaced it, this removes nothing
  // and our create below meets theirs with a 409.
  if (step == LeaseStep::kReplace && !lease_record::Remove(*host.docker, seen->id).ok())
    return false;
  Result<std::string> id = lease_record::Create(*host.docker, project_, maker_, RecordTerm());
  if (!id.ok()) return false;  // a 409 is a lost race; anything else, retry next round
  HeldRecord record{*id};
  if (!Renew(host, record, published)) {
    (void)lease_record::Remove(*host.docker, *id);
    return false;
  }
  records_[host.name] = record;
  observation_.Forget(host.name);
  ++count;
  return true;
}

void ProjectLease::State::Observe(const std::string& host,
                                  const std::optional<LeaseRecord>& record) {
  if (!record) {
    observation_.Forget(host);
    return;
  }
  observation_.Saw(host, record->id, record->seq, LeaseClock::now());
  highest_term_ = std::max(highest_term_, record->term);
}

void ProjectLease::State::AfterRound(const std::vector<LeaseHost>& hosts, size_t count,
                                     size_t quorum, LeaseClock::time_point round_start) {
  if (LeaseQuorumReached(count, quorum)) {
    std::lock_guard lock(mu_);
    if (!held_) lost_ = std::stop_source();
    held_ = true;
    deadline_ = HolderDeadline(round_start, options_.ttl);
    changed_.notify_all();
    return;
  }
  bool held;
  {
    std::lock_guard lock(mu_);
    held = held_;
  }
  // A candidate short of a quorum gives back what it made, so that another
  // candidate is not blocked by a minority of records.
  if (!held) RemoveAll(hosts);
}

void ProjectLease::State::RemoveAll(const std::vector<LeaseHost>& hosts) {
  for (const LeaseHost& host : hosts) {
    auto it = records_.find(host.name);
    if (it == records_.end() || host.docker == nullptr) continue;
    if (lease_record::Remove(*host.docker, it->second.id).ok()) records_.erase(it);
  }
}

void ProjectLease::State::RunWatchdog(std::stop_token stop) {
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    if (!held_) {
      changed_.wait(lock, stop, [this] { return held_; });
      continue;
    }
    LeaseClock::time_point deadline = deadline_;
    if (LeaseClock::now() >= deadline) {
      held_ = false;
      lost_.request_stop();
      lock.unlock();
      Report();
      lock.lock();
      continue;
    }
    changed_.wait_until(lock, stop, deadline,
                        [this, deadline] { return !held_ || deadline_ != deadline; });
  }
}

Status ProjectLease::State::End(bool remove) {
  StopThreads();
  Status first = Status::Ok();
  if (remove && !records_.empty()) {
    // In reverse hosts-file order: a candidate reads the first host first, so
    // once it finds that one free, all the others are free too.
    std::vector<LeaseHost> hosts = hosts_();
    for (auto host = hosts.rbegin(); host != hosts.rend(); ++host) {
      auto it = records_.find(host->name);
      if (it == records_.end()) continue;
      Status removed = host->docker == nullptr
                           ? Status(Error::Unreachable("host " + host->name, "unreachable"))
                           : lease_record::Remove(*host->docker, it->second.id);
      if (!removed.ok() && first.ok()) first = removed.error().Within("release lease");
    }
  }
  records_.clear();
  {
    std::lock_guard lock(mu_);
    held_ = false;
    lost_.request_stop();
  }
  Report();
  return first;
}

ProjectLease::ProjectLease(std::shared_ptr<State> state) : state_(std::move(state)) {}

std::unique_ptr<ProjectLease> ProjectLease::Start(LeaseHostSource hosts, std::string project,
                                                  LeaseOptions options,
                                                  std::function<void(bool held)> on_change) {
  auto state = std::make_shared<State>(std::move(hosts), std::move(project), std::move(options),
                                       std::move(on_change));
  state->StartThreads();
  return std::unique_ptr<ProjectLease>(new ProjectLease(std::move(state)));
}

ProjectLease::~ProjectLease() { (void)Release(); }

bool ProjectLease::Held() const { return state_->Held(); }
std::stop_token ProjectLease::LostToken() const { return state_->LostToken(); }
uint64_t ProjectLease::Term() const { return state_->Term(); }
Status ProjectLease::Release() { return state_->End(true); }
void ProjectLease::Abandon() { (void)state_->End(false); }
void ProjectLease::PublishStatus(std::string json) { state_->Publish(true, std::move(json)); }
void ProjectLease::PublishEvents(std::string jsonl) { state_->Publish(false, std::move(jsonl)); }

}  // namespace baton::runtime
