// HostPool: every host's SSH connection and Docker client, opened in
// parallel, each host's failure kept with it.

#include "runtime/host_pool.h"

#include <future>
#include <utility>

namespace baton::runtime {
namespace {

// Connects a Docker client through `handle`'s open connection. On failure
// the connection is dropped too, so an unreachable host holds no session.
void ConnectDocker(HostHandle& handle, const transport::SshOptions& ssh,
                   std::chrono::milliseconds call_timeout) {
  DockerOptions options;
  options.host = handle.config.name;
  options.socket_path = handle.connection->socket_path().string();
  options.connect_timeout = ssh.connect_timeout;
  options.call_timeout = call_timeout;
  Result<DockerClient> client = DockerClient::Connect(options);
  if (client.ok()) {
    handle.docker = std::make_shared<DockerClient>(std::move(*client));
    return;
  }
  // The tunnel knows better than the Docker client why a channel failed.
  Status health = handle.connection->Health();
  handle.error = health.ok() ? client.error() : health.error();
  handle.connection.reset();
}

}  // namespace

HostHandle ConnectHost(const transport::HostConfig& host, const transport::SshOptions& ssh,
                       std::chrono::milliseconds docker_call_timeout) {
  HostHandle handle;
  handle.config = host;
  Result<std::unique_ptr<transport::HostConnection>> connection =
      transport::HostConnection::Open(host, ssh);
  if (!connection.ok()) {
    handle.error = connection.error();
    return handle;
  }
  handle.connection = std::move(*connection);
  ConnectDocker(handle, ssh, docker_call_timeout);
  return handle;
}

HostPool HostPool::FromHandles(std::vector<HostHandle> handles) {
  HostPool pool;
  pool.hosts_ = std::move(handles);
  return pool;
}

HostPool HostPool::Open(const std::vector<transport::HostConfig>& hosts,
                        const transport::SshOptions& ssh,
                        std::chrono::milliseconds docker_call_timeout) {
  auto connections = transport::HostConnection::OpenAll(hosts, ssh);
  HostPool pool;
  pool.hosts_.resize(hosts.size());
  std::vector<std::future<void>> pending;
  for (size_t i = 0; i < hosts.size(); ++i) {
    HostHandle& handle = pool.hosts_[i];
    handle.config = hosts[i];
    if (!connections[i].ok()) {
      handle.error = connections[i].error();
      continue;
    }
    handle.connection = std::move(*connections[i]);
    pending.push_back(std::async(std::launch::async, [&handle, &ssh, docker_call_timeout] {
      ConnectDocker(handle, ssh, docker_call_timeout);
    }));
  }
  for (auto& done : pending) done.get();
  return pool;
}

HostHandle* HostPool::Find(const std::string& name) {
  for (HostHandle& handle : hosts_)
    if (handle.config.name == name) return &handle;
  return nullptr;
}

Result<DockerClient*> HostPool::Docker(const std::string& name) {
  HostHandle* handle = Find(name);
  if (handle == nullptr) return Error::NotFound("", "unknown host \"" + name + "\"");
  if (handle->reachable()) return handle->docker.get();
  if (handle->error) {
    Error error = *handle->error;
    error.kind = Error::Kind::kUnreachable;
    return error;
  }
  return Error::Unreachable("host " + name, "not connected");
}

}  // namespace baton::runtime
