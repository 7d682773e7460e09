#include "transport/host_connection.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <future>

#include "transport/private_socket.h"
#include "transport/socket_tunnel.h"

namespace baton::transport {

Result<std::unique_ptr<HostConnection>> HostConnection::Open(const HostConfig& host,
                                                             const SshOptions& options) {
  std::unique_ptr<HostConnection> connection(new HostConnection(host.name));
  if (host.is_local()) {
    connection->socket_path_ = host.socket;
    return connection;
  }
  std::string where = "host " + host.name;
  auto listener = PrivateSocket::Listen(where);
  if (!listener.ok()) return listener.error();
  connection->socket_path_ = listener->path();
  connection->wake_.Reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!connection->wake_)
    return Error::Internal(where, "eventfd: " + std::string(std::strerror(errno)));

  std::promise<Status> ready;
  std::future<Status> connected = ready.get_future();
  HostConnection* self = connection.get();
  // The session is made on the worker, so that only that thread ever
  // touches it; the listener moves there too and is removed when it ends.
  connection->worker_ = std::jthread(
      [self, host, options, ready = std::move(ready), listener = std::move(*listener)]() mutable {
        auto session = SshSession::Connect(host, options);
        if (!session.ok()) return ready.set_value(session.error());
        auto round_trip = session->MeasureRoundTrip();
        if (!round_trip.ok()) return ready.set_value(round_trip.error());
        self->round_trip_ = *round_trip;
        ready.set_value(Status::Ok());
        SocketTunnel tunnel(std::move(*session), std::move(listener), host.socket,
                            self->wake_.get(), [self](std::optional<Error> error, bool final) {
                              self->SetHealth(std::move(error), final);
                            });
        tunnel.Run(self->stop_);
      });
  Status status = connected.get();
  if (!status.ok()) return status.error();
  return connection;
}

std::vector<Result<std::unique_ptr<HostConnection>>> HostConnection::OpenAll(
    const std::vector<HostConfig>& hosts, const SshOptions& options) {
  std::vector<std::future<Result<std::unique_ptr<HostConnection>>>> pending;
  for (const HostConfig& host : hosts)
    pending.push_back(
        std::async(std::launch::async, [&host, &options] { return Open(host, options); }));
  std::vector<Result<std::unique_ptr<HostConnection>>> results;
  for (auto& result : pending) results.push_back(result.get());
  return results;
}

HostConnection::~HostConnection() {
  if (!worker_.joinable()) return;
  stop_.store(true);
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  worker_.join();
}

Status HostConnection::Health() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_) return *failure_;
  return Status::Ok();
}

void HostConnection::SetHealth(std::optional<Error> error, bool final) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (lost_) return;  // a lost session stays lost
  lost_ = final;
  failure_ = std::move(error);
}

}  // namespace baton::transport
