// DockerClient's calls that read what runs inside containers: logs, stats
// and exec, and the output-stream plumbing they share.

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_containers.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

ContainerStats DecodeStats(const json& j) {
  ContainerStats s;
  s.read = String(j, "read");
  const json& cpu = Object(j, "cpu_stats");
  s.cpu_total_ns = Unsigned(Object(cpu, "cpu_usage"), "total_usage");
  s.system_cpu_ns = Unsigned(cpu, "system_cpu_usage");
  s.online_cpus = static_cast<std::uint32_t>(Unsigned(cpu, "online_cpus"));
  const json& memory = Object(j, "memory_stats");
  s.memory_usage_bytes = Unsigned(memory, "usage");
  s.memory_limit_bytes = Unsigned(memory, "limit");
  s.pids = Unsigned(Object(j, "pids_stats"), "current");
  for (const auto& [name, interface] : Object(j, "networks").items()) {
    s.network_rx_bytes += Unsigned(interface, "rx_bytes");
    s.network_tx_bytes += Unsigned(interface, "tx_bytes");
  }
  s.raw = j;
  return s;
}

// Appends to a captured stream, dropping what would pass kMaxBodyBytes.
void Capture(std::string& into, std::string_view data) {
  into.append(data.substr(0, kMaxBodyBytes - std::min(kMaxBodyBytes, into.size())));
}

std::string DecodeId(const json& j) { return String(j, "Id"); }

struct ExecState {
  bool running = false;
  std::int64_t exit_code = 0;
};

ExecState DecodeExecState(const json& j) { return {Bool(j, "Running"), Int(j, "ExitCode")}; }

json ExecCreateBody(const ExecSpec& spec) {
  json body = {{"AttachStdin", false},
               {"AttachStdout", true},
               {"AttachStderr", true},
               {"Tty", false},
               {"Cmd", spec.cmd}};
  if (!spec.env.empty()) body["Env"] = spec.env;
  if (!spec.user.empty()) body["User"] = spec.user;
  if (!spec.working_dir.empty()) body["WorkingDir"] = spec.working_dir;
  return body;
}

}  // namespace

double CpuPercent(const ContainerStats& before, const ContainerStats& after) {
  if (after.cpu_total_ns < before.cpu_total_ns || after.system_cpu_ns <= before.system_cpu_ns)
    return 0.0;
  double cpu = static_cast<double>(after.cpu_total_ns - before.cpu_total_ns);
  double system = static_cast<double>(after.system_cpu_ns - before.system_cpu_ns);
  return cpu / system * std::max<std::uint32_t>(after.online_cpus, 1) * 100.0;
}

Status DockerClient::CallOutputStream(
    HttpRequest request, bool tty, const std::function<bool(StreamKind, std::string_view)>& sink) {
  std::optional<Error> malformed;
  StreamDemuxer demuxer(sink);
  request.on_chunk = [&](std::string_view chunk) {
    if (tty) return sink(StreamKind::kStdout, chunk);
    Result<bool> more = demuxer.Feed(chunk);
    if (more.ok()) return *more;
    malformed = more.error();
    return false;
  };
  Result<HttpResponse> response = Call(request);
  if (!response.ok()) return response.error();
  if (malformed) return AtCall(request, *malformed);
  if (response->stopped || tty) return Status::Ok();
  if (Status s = demuxer.Finish(); !s.ok()) return AtCall(request, s.error());
  return Status::Ok();
}

Status DockerClient::ReadLogs(std::string_view id, const LogOptions& options,
                              const std::function<bool(StreamKind, std::string_view)>& on_output,
                              std::stop_token stop) {
  // Only the container's TTY setting tells whether the output is multiplexed
  // (API 1.41 does not say so in the Content-Type).
  Result<ContainerInfo> info = InspectContainer(id);
  if (!info.ok()) return info.error();
  QueryString query;
  query.Flag("stdout", options.include_stdout).Flag("stderr", options.include_stderr);
  query.Flag("follow", options.follow).Flag("timestamps", options.timestamps);
  if (!options.since.empty()) query.Add("since", options.since);
  if (!options.until.empty()) query.Add("until", options.until);
  query.Add("tail", options.tail);
  HttpRequest request = Request("GET", "/containers/" + UrlEscape(id) + "/logs" + query.str());
  if (options.follow) request.timeout = std::chrono::milliseconds(0);
  request.stop = std::move(stop);
  return CallOutputStream(std::move(request), info->tty, on_output);
}

Result<CapturedOutput> DockerClient::ReadLogs(std::string_view id, const LogOptions& options) {
  LogOptions until_now = options;
  until_now.follow = false;
  CapturedOutput output;
  Status s = ReadLogs(id, until_now, [&](StreamKind kind, std::string_view data) {
    Capture(kind == StreamKind::kStderr ? output.err : output.out, data);
    return true;
  });
  if (!s.ok()) return s.error();
  return output;
}

Result<ContainerStats> DockerClient::ReadStats(std::string_view id) {
  std::string query = QueryString().Add("stream", "false").Add("one-shot", "true").str();
  return CallJson<ContainerStats>(Request("GET", "/containers/" + UrlEscape(id) + "/stats" + query),
                                  DecodeStats);
}

Result<ExecResult> DockerClient::Exec(std::string_view container, const ExecSpec& spec) {
  HttpRequest create = Request("POST", "/containers/" + UrlEscape(container) + "/exec");
  if (Status s = SetJsonBody(create, ExecCreateBody(spec)); !s.ok()) return s.error();
  Result<std::string> exec_id = CallJson<std::string>(create, DecodeId);
  if (!exec_id.ok()) return exec_id.error();
  std::string exec_path = "/exec/" + UrlEscape(*exec_id);

  // Docker answers start by taking over the connection and sending the
  // output until the command exits, then closing it.
  HttpRequest start = Request("POST", exec_path + "/start");
  if (Status s = SetJsonBody(start, {{"Detach", false}, {"Tty", false}}); !s.ok()) return s.error();
  start.timeout = spec.timeout;
  ExecResult result;
  Status ran =
      CallOutputStream(std::move(start), false, [&](StreamKind kind, std::string_view data) {
        Capture(kind == StreamKind::kStderr ? result.output.err : result.output.out, data);
        return true;
      });
  if (!ran.ok()) return ran.error();

  // The exit code can trail the end of the output by a moment.
  for (int attempt = 0; attempt < 40; ++attempt) {
    Result<ExecState> state =
        CallJson<ExecState>(Request("GET", exec_path + "/json"), DecodeExecState);
    if (!state.ok()) return state.error();
    if (!state->running) {
      result.exit_code = state->exit_code;
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return Error::Internal(http_->where(), "exec " + *exec_id + " still runs after its output ended");
}

}  // namespace baton::runtime
