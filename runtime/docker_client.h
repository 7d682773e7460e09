#pragma once
// The Docker Engine API client baton drives hosts with. One client talks to
// one engine through a local unix socket (for a remote host, the local end of
// transport's SSH tunnel).
//
// Errors: `where` is "host NAME" (DockerOptions::host). Engine refusals carry
// the status and Docker's own text, "409 Conflict: Conflict. The container
// name ...", with kinds as in ResponseError (docker_http.h); callers add the
// verb with Error::Within. A socket that cannot be reached, or a call that
// outlives its timeout, is kUnreachable. An answer that cannot be decoded is
// kInternal and names the call: "GET /containers/web-1/json: malformed
// response: ...". No exception escapes.
//
// Threads: every method may be called from any thread, also concurrently
// (for example a watcher's event stream beside its inspects).
//
// Streaming calls (events, pulls, logs with follow, image load and save) have
// no total timeout; they end when their callback returns false or `stop` is
// requested (checked at least once a second), and that ending is Ok.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/docker_containers.h"
#include "runtime/docker_events.h"
#include "runtime/docker_exec.h"
#include "runtime/docker_hijack.h"
#include "runtime/docker_http.h"
#include "runtime/docker_images.h"
#include "runtime/docker_networks.h"
#include "runtime/docker_query.h"
#include "runtime/docker_stream.h"
#include "runtime/docker_system.h"
#include "runtime/docker_volumes.h"

namespace baton::runtime {

class DockerClient {
 public:
  // Pings the engine, reads its versions and settles on the newest API both
  // sides speak, used for every later call ("/v1.41/..."). kUnreachable when
  // the socket does not answer; kInvalid when the engine is older than Docker
  // 20.10 (API 1.41) or too new to accept kNewestApi.
  static Result<DockerClient> Connect(DockerOptions options);

  DockerClient(DockerClient&&) noexcept;
  DockerClient& operator=(DockerClient&&) noexcept;
  ~DockerClient();

  const std::string& host() const;
  ApiVersion api_version() const { return api_; }
  const VersionInfo& engine_version() const { return engine_; }  // as read by Connect

  // --- System (docker_system.cc)
  Status Ping();
  Result<VersionInfo> Version();
  Result<SystemInfo> Info();

  // --- Containers (docker_containers.cc). `id` may also be a container name.
  // kConflict when the name is taken, kNotFound when the image is missing.
  Result<ContainerCreated> CreateContainer(const ContainerSpec& spec);
  // Ok also when it already runs.
  Status StartContainer(std::string_view id);
  // Sends SIGTERM, then SIGKILL after `grace` (unset: the container's own stop
  // timeout, 10 s by default). Ok also when it is already stopped. The call
  // may take `grace` plus the call timeout.
  Status StopContainer(std::string_view id,
                       std::optional<std::chrono::seconds> grace = std::nullopt);
  // kConflict when it does not run.
  Status KillContainer(std::string_view id, std::string_view signal = "SIGKILL");
  // POST /containers/{id}/rename: a running container keeps running (a
  // start-first update moves the old replica aside). kConflict when taken.
  Status RenameContainer(std::string_view id, std::string_view name);
  // Ok also when there is no such container, so callers may retry.
  Status RemoveContainer(std::string_view id, RemoveContainerOptions options = {});
  Result<ContainerInfo> InspectContainer(std::string_view id);
  // Running containers only unless `all`; filters as in Docker's
  // `docker ps --filter`: {"label": {"baton.project=shop"}}.
  Result<std::vector<ContainerSummary>> ListContainers(bool all = false,
                                                       const Filters& filters = {});
  // Blocks until the condition holds and returns the exit code. kUnreachable
  // when `timeout` passes first; zero waits without limit.
  Result<std::int64_t> WaitContainer(std::string_view id, std::chrono::milliseconds timeout,
                                     WaitCondition condition = WaitCondition::kNotRunning);

  // --- Container output (docker_container_io.cc)
  // Streams output as it arrives, stdout and stderr apart unless the
  // container has a TTY (then all is kStdout). Without `follow` it ends with
  // the output so far; with it, it runs until on_output returns false or stop.
  Status ReadLogs(std::string_view id, const LogOptions& options,
                  const std::function<bool(StreamKind kind, std::string_view data)>& on_output,
                  std::stop_token stop = {});
  // The output so far (options.follow is ignored), at most kMaxBodyBytes of each stream.
  Result<CapturedOutput> ReadLogs(std::string_view id, const LogOptions& options = {});
  // One sample; no CPU percentage, which needs two (see CpuPercent).
  Result<ContainerStats> ReadStats(std::string_view id);
  // Runs a command in a running container, waits for it within spec.timeout
  // (kUnreachable after that) and returns its exit code and output.
  Result<ExecResult> Exec(std::string_view container, const ExecSpec& spec);

  // --- Exec sessions (docker_exec.cc): the steps of an interactive exec.
  // Creates an exec in a running container and returns its id; kConflict
  // when the container does not run, kNotFound when there is no such container.
  Result<std::string> CreateExec(std::string_view container, const ExecCreateSpec& spec);
  // Starts the exec and returns the connection that then carries its input
  // and output (multiplexed unless `tty`) until the command ends and the
  // engine closes it. The response head is awaited within the call timeout.
  Result<HijackedConnection> StartExecAttached(std::string_view exec_id, bool tty);
  // Starts the exec without attaching to it; returns once it started.
  Status StartExecDetached(std::string_view exec_id);
  // Sets the size of a started exec's TTY.
  Status ResizeExec(std::string_view exec_id, TerminalSize size);
  Result<ExecStatus> InspectExec(std::string_view exec_id);

  // --- Images (docker_images.cc)
  Result<ImageInfo> InspectImage(std::string_view name);
  // Pulls `reference` (a bare name means its "latest" tag). Errors the engine
  // reports inside the progress stream fail the call with kInternal. Registry
  // authentication is not supported yet.
  Status PullImage(const std::string& reference,
                   const std::function<bool(const PullProgress&)>& on_progress = {},
                   std::stop_token stop = {});
  // Loads a `docker save` tarball read from `tar` and returns the names the
  // engine reports ("baton/busybox:lab", or "sha256:..." for untagged images).
  Result<std::vector<std::string>> LoadImages(const BodyReader& tar, std::stop_token stop = {});
  // Writes a tarball of the named images to `write`, piece by piece. An error
  // from `write` aborts the transfer and is returned.
  Status SaveImages(const std::vector<std::string>& names,
                    const std::function<Status(std::string_view data)>& write,
                    std::stop_token stop = {});
  // Gives image `source` the extra name `target` ("apply-test/pushed:1").
  Status TagImage(std::string_view source, const std::string& target);
  // Lists images, filtered as GET /images/json takes it ({"label": {"k=v"}}).
  Result<std::vector<ImageInfo>> ListImages(const Filters& filters = {});
  // Builds with the classic builder (POST /build, version=1) from the tar
  // read from `context` (no body when request.remote is set), calling
  // `on_message` once per message of the output stream. Fails with
  // kInternal and the daemon's text on an in-band error. Returns the image
  // id ("sha256:..."). No total timeout; `stop` drops the connection, which
  // cancels the build (docker_build.cc).
  Result<std::string> BuildImage(const BuildRequest& request, const BodyReader& context,
                                 const std::function<void(const BuildMessage&)>& on_message,
                                 std::stop_token stop = {});
  // Removes the image (one of its names, or the image when it is its id).
  // Ok also when there is no such image. kConflict while a container uses it.
  Status RemoveImage(std::string_view name, bool force = false);

  // Extracts the tar read from `tar` under directory `path` of a container
  // (created, stopped or running): PUT /containers/{id}/archive. Owners and
  // modes come from the tar headers (copyUIDGID is never sent). 403 ->
  // kConflict (read-only rootfs or volume), 404 -> kNotFound
  // (docker_archive.cc).
  Status PutArchive(std::string_view container, const std::string& path, const BodyReader& tar,
                    std::stop_token stop = {});

  // A tar of `path` (a file or directory) in a container, created or not:
  // GET /containers/{id}/archive. kNotFound when the container or the path
  // does not exist; kInvalid when the tar exceeds `max_bytes`.
  Result<std::string> GetArchive(std::string_view container, const std::string& path,
                                 size_t max_bytes = 4 << 20);
  // Sets a container's restart policy in place (POST /containers/{id}/update):
  // the watcher's takeover of a crash loop, and its release.
  Status UpdateRestartPolicy(std::string_view container, const std::string& name,
                             int maximum_retry_count = 0);
  // --- Networks (docker_networks.cc). `network` may be a name or an id.
  // Returns the new network's id; kConflict when the name is taken.
  Result<std::string> CreateNetwork(const NetworkSpec& spec);
  Result<NetworkInfo> InspectNetwork(std::string_view network);
  Result<std::vector<NetworkInfo>> ListNetworks(const Filters& filters = {});
  // Ok also when there is no such network. kConflict while containers use it.
  Status RemoveNetwork(std::string_view network);
  Status ConnectNetwork(std::string_view network, std::string_view container,
                        const EndpointSpec& endpoint = {});
  Status DisconnectNetwork(std::string_view network, std::string_view container,
                           bool force = false);

  // --- Volumes (docker_volumes.cc)
  // Returns the existing volume unchanged if one of that name exists.
  Result<VolumeInfo> CreateVolume(const VolumeSpec& spec);
  Result<VolumeInfo> InspectVolume(std::string_view name);
  Result<std::vector<VolumeInfo>> ListVolumes(const Filters& filters = {});
  // Ok also when there is no such volume. kConflict while a container uses it.
  Status RemoveVolume(std::string_view name, bool force = false);

  // --- Events (docker_events.cc)
  // Calls on_event for each event, in order, until it returns false, `stop`
  // is requested, or options.until passes (all Ok). kUnreachable when the
  // engine ends the stream on its own (it restarted, the tunnel broke):
  // subscribe again with `since` to catch up.
  Status StreamEvents(const EventsOptions& options,
                      const std::function<bool(const DockerEvent&)>& on_event,
                      std::stop_token stop = {});

 private:
  DockerClient(std::unique_ptr<DockerHttp> http, VersionInfo engine, ApiVersion api);

  // A request for `path` ("/containers/json?all=1") under the negotiated version.
  HttpRequest Request(std::string method, const std::string& path) const;
  // Sets a JSON body; kInvalid when `body` holds text that is not UTF-8.
  Status SetJsonBody(HttpRequest& request, const nlohmann::json& body) const;
  // Sends `request`; statuses outside 2xx fail through ResponseError unless
  // listed in `also_ok`.
  Result<HttpResponse> Call(const HttpRequest& request, std::initializer_list<long> also_ok = {});
  // Sends `request` and decodes its JSON body with `decode`.
  template <typename T>
  Result<T> CallJson(const HttpRequest& request,
                     const std::function<T(const nlohmann::json&)>& decode);
  // Sends a streaming `request` whose body is container output: raw with a
  // TTY, else multiplexed (see StreamDemuxer).
  Status CallOutputStream(HttpRequest request, bool tty,
                          const std::function<bool(StreamKind, std::string_view)>& sink);
  // Sends a streaming `request` whose body is newline-separated JSON documents.
  // Sets `ended` when the engine closed the stream itself (not a stop).
  Status CallJsonStream(HttpRequest request, const std::function<bool(const nlohmann::json&)>& sink,
                        bool* ended = nullptr);
  // Moves an error made without a host (stream decoders) to this host and call.
  Error AtCall(const HttpRequest& request, const Error& error) const;

  std::unique_ptr<DockerHttp> http_;
  VersionInfo engine_;
  ApiVersion api_;
};

}  // namespace baton::runtime
