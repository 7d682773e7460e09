#include "runtime/netd/readiness_exec.h"

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/unix_http.h"

namespace baton::netd {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds kPoll(100);
constexpr milliseconds kRequestTimeout(2000);

bool IsHexId(const std::string& id) {
  return !id.empty() && id.size() <= 128 &&
         id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// One engine request; the body of a 2xx reply (create answers 201, a
// detached start 200 or 204 depending on the engine version).
Result<std::string> Call(const std::string& socket, const char* method, const std::string& target,
                         const std::string& body) {
  auto reply = UnixHttpRequest(socket, method, target, body.empty() ? "" : "application/json", body,
                               kRequestTimeout);
  if (!reply.ok()) return reply.error();
  if (reply->status < 200 || reply->status > 299)
    return Error::Unreachable("engine", target + ": status " + std::to_string(reply->status));
  return std::move(reply->body);
}

Result<std::string> CreateExec(const std::string& socket, const std::string& id,
                               const ReadinessSpec& spec) {
  json request = {{"Cmd", ProbeCommand(spec)}, {"AttachStdout", false}, {"AttachStderr", false}};
  auto created = Call(socket, "POST", "/containers/" + id + "/exec",
                      request.dump(-1, ' ', false, json::error_handler_t::replace));
  if (!created.ok()) return created.error();
  json reply = json::parse(*created, nullptr, false);
  std::string exec_id = reply.is_object() && reply.contains("Id") && reply["Id"].is_string()
                            ? reply["Id"].get<std::string>()
                            : "";
  if (!IsHexId(exec_id)) return Error::Invalid("engine", "exec create: no id");
  return exec_id;
}

std::string Seconds(milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + "s"
                               : std::to_string(d.count()) + "ms";
}

// Whether the exec a timed-out probe left behind still runs; one the engine
// no longer knows (the container restarted) does not.
bool StillRunning(const std::string& socket, const std::string& exec_id) {
  auto inspected = Call(socket, "GET", "/exec/" + exec_id + "/json", "");
  if (!inspected.ok()) return false;
  json state = json::parse(*inspected, nullptr, false);
  return state.is_object() && state.value("Running", false);
}

}  // namespace

ProbeResult RunProbe(const std::string& socket, const std::string& id, const ReadinessSpec& spec,
                     std::stop_token stop, std::string& hanging_exec) {
  auto deadline = ProbeClock::now() + spec.timeout;
  if (!IsHexId(id)) return {false, "exec: not a container id"};
  if (!hanging_exec.empty()) {
    if (StillRunning(socket, hanging_exec))
      return {false, "exec still running from a timed-out probe"};
    hanging_exec.clear();
  }
  auto exec_id = CreateExec(socket, id, spec);
  if (!exec_id.ok()) return {false, "exec: " + exec_id.error().message};
  auto started = Call(socket, "POST", "/exec/" + *exec_id + "/start", "{\"Detach\":true}");
  if (!started.ok()) return {false, "exec: " + started.error().message};
  while (!stop.stop_requested()) {
    auto inspected = Call(socket, "GET", "/exec/" + *exec_id + "/json", "");
    if (!inspected.ok()) return {false, "exec: " + inspected.error().message};
    json state = json::parse(*inspected, nullptr, false);
    if (!state.is_object()) return {false, "exec: unreadable inspect"};
    bool running = state.value("Running", false);
    if (!running) {
      int code = state.contains("ExitCode") && state["ExitCode"].is_number_integer()
                     ? state["ExitCode"].get<int>()
                     : -1;
      if (code == 0) return {true, ""};
      return {false, "exit " + std::to_string(code)};
    }
    if (ProbeClock::now() + kPoll > deadline) {
      hanging_exec = *exec_id;
      return {false, "timeout after " + Seconds(spec.timeout)};
    }
    std::this_thread::sleep_for(kPoll);
  }
  return {false, "stopped"};
}

// One container's probe loop. The thread is declared last, so it is stopped
// and joined before the state it uses goes away.
struct ReadinessProber::Probe {
  std::string id;
  std::string started_at;
  ReadinessSpec spec;
  std::string label_error;  // the label did not parse: never passes, no thread
  mutable std::mutex mu;
  std::condition_variable_any wake;
  ProbeState state;          // guarded by mu
  std::string hanging_exec;  // the probe thread's own (RunProbe)
  std::jthread thread;

  void Loop(const std::string& socket, std::atomic<uint64_t>& version, std::stop_token stop) {
    while (!stop.stop_requested()) {
      {
        std::unique_lock lock(mu);
        auto due = state.next_run;
        wake.wait_until(lock, stop, due, [] { return false; });
        if (stop.stop_requested()) return;
      }
      ProbeResult result = RunProbe(socket, id, spec, stop, hanging_exec);
      if (stop.stop_requested()) return;
      std::lock_guard lock(mu);
      bool was = state.ready;
      state = Next(std::move(state), result, ProbeClock::now(), spec);
      if (state.ready != was) version.fetch_add(1);
    }
  }
};

ReadinessProber::ReadinessProber(std::string socket_path)
    : socket_path_(std::move(socket_path)), reaper_([this](std::stop_token stop) { Reap(stop); }) {}

// Every probe is asked to stop before any is joined, so they wind down
// together; the members then join them (the reaper first).
ReadinessProber::~ReadinessProber() {
  for (auto& [name, probe] : probes_) probe->thread.request_stop();
  std::lock_guard lock(retired_mu_);
  for (auto& probe : retired_) probe->thread.request_stop();
}

void ReadinessProber::Reap(std::stop_token stop) {
  std::unique_lock lock(retired_mu_);
  while (true) {
    retired_wake_.wait(lock, stop, [this] { return !retired_.empty(); });
    std::vector<std::unique_ptr<Probe>> batch = std::move(retired_);
    retired_.clear();
    lock.unlock();
    batch.clear();  // joins each; they were asked to stop when retired
    lock.lock();
    if (stop.stop_requested() && retired_.empty()) return;
  }
}

void ReadinessProber::Track(const std::vector<ProbedContainer>& running) {
  std::map<std::string, const ProbedContainer*> listed;
  for (const ProbedContainer& container : running) listed[container.name] = &container;
  std::vector<std::unique_ptr<Probe>> removed;
  for (auto it = probes_.begin(); it != probes_.end();) {
    auto found = listed.find(it->first);
    bool same = found != listed.end() && found->second->id == it->second->id &&
                found->second->started_at == it->second->started_at;
    if (same) {
      ++it;
      continue;
    }
    it->second->thread.request_stop();
    removed.push_back(std::move(it->second));
    it = probes_.erase(it);
  }
  if (!removed.empty()) {
    std::lock_guard lock(retired_mu_);
    for (auto& probe : removed) retired_.push_back(std::move(probe));
    retired_wake_.notify_one();
  }
  for (const auto& [name, container] : listed) {
    if (probes_.count(name)) continue;
    auto probe = std::make_unique<Probe>();
    probe->id = container->id;
    probe->started_at = container->started_at;
    probe->state = StartProbing(ProbeClock::now());
    auto spec = ParseReadinessLabel(container->readiness);
    if (!spec.ok()) {
      probe->label_error = spec.error().ToString();
    } else {
      probe->spec = std::move(*spec);
      Probe* raw = probe.get();
      raw->thread = std::jthread(
          [raw, this](std::stop_token stop) { raw->Loop(socket_path_, version_, stop); });
    }
    probes_.emplace(name, std::move(probe));
  }
}

bool ReadinessProber::Passing(const std::string& name) const {
  auto it = probes_.find(name);
  if (it == probes_.end() || !it->second->label_error.empty()) return false;
  std::lock_guard lock(it->second->mu);
  return it->second->state.ready;
}

std::string ReadinessProber::Reason(const std::string& name) const {
  auto it = probes_.find(name);
  if (it == probes_.end()) return "not probed";
  if (!it->second->label_error.empty()) return it->second->label_error;
  std::lock_guard lock(it->second->mu);
  return it->second->state.reason;
}

}  // namespace baton::netd
