// DockerClient's exec steps for interactive sessions. The attached start is
// the one call that does not go through libcurl (see docker_hijack.h).

#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

// Docker added ConsoleSize to exec create and start in API 1.42.
constexpr ApiVersion kConsoleSizeApi{1, 42};

json CreateBody(const ExecCreateSpec& spec, ApiVersion api) {
  json body = {{"AttachStdin", spec.attach_stdin},
               {"AttachStdout", spec.attach_output},
               {"AttachStderr", spec.attach_output},
               {"Tty", spec.tty},
               {"Privileged", spec.privileged},
               {"Cmd", spec.cmd}};
  if (!spec.env.empty()) body["Env"] = spec.env;
  if (!spec.user.empty()) body["User"] = spec.user;
  if (!spec.working_dir.empty()) body["WorkingDir"] = spec.working_dir;
  if (spec.tty && spec.console_size && api >= kConsoleSizeApi)
    body["ConsoleSize"] = {spec.console_size->rows, spec.console_size->columns};
  return body;
}

std::string DecodeId(const json& j) { return String(j, "Id"); }

ExecStatus DecodeStatus(const json& j) {
  ExecStatus status;
  status.running = Bool(j, "Running");
  status.container_id = String(j, "ContainerID");
  // Docker reports ExitCode null until the command has ended; 0 on old engines.
  const json* code = Field(j, "ExitCode");
  if (!status.running && code != nullptr) status.exit_code = Int(j, "ExitCode");
  return status;
}

}  // namespace

Result<std::string> DockerClient::CreateExec(std::string_view container,
                                             const ExecCreateSpec& spec) {
  HttpRequest create = Request("POST", "/containers/" + UrlEscape(container) + "/exec");
  if (Status s = SetJsonBody(create, CreateBody(spec, api_)); !s.ok()) return s.error();
  return CallJson<std::string>(create, DecodeId);
}

Result<HijackedConnection> DockerClient::StartExecAttached(std::string_view exec_id, bool tty) {
  HttpRequest start = Request("POST", "/exec/" + UrlEscape(exec_id) + "/start");
  if (Status s = SetJsonBody(start, {{"Detach", false}, {"Tty", tty}}); !s.ok()) return s.error();
  Result<HijackedConnection> connection = HijackedConnection::Open(http_->options(), start);
  if (!connection.ok() && connection.error().kind == Error::Kind::kInternal)
    return AtCall(start, connection.error());
  return connection;
}

Status DockerClient::StartExecDetached(std::string_view exec_id) {
  HttpRequest start = Request("POST", "/exec/" + UrlEscape(exec_id) + "/start");
  if (Status s = SetJsonBody(start, {{"Detach", true}, {"Tty", false}}); !s.ok()) return s.error();
  Result<HttpResponse> response = Call(start);
  if (!response.ok()) return response.error();
  return Status::Ok();
}

Status DockerClient::ResizeExec(std::string_view exec_id, TerminalSize size) {
  std::string query = QueryString()
                          .Add("h", std::to_string(size.rows))
                          .Add("w", std::to_string(size.columns))
                          .str();
  Result<HttpResponse> response =
      Call(Request("POST", "/exec/" + UrlEscape(exec_id) + "/resize" + query));
  if (!response.ok()) return response.error();
  return Status::Ok();
}

Result<ExecStatus> DockerClient::InspectExec(std::string_view exec_id) {
  return CallJson<ExecStatus>(Request("GET", "/exec/" + UrlEscape(exec_id) + "/json"),
                              DecodeStatus);
}

}  // namespace baton::runtime
