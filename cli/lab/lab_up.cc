// `baton lab up N`: a fresh lab of N hosts, each answering over SSH and the
// Docker API, with the busybox image loaded.

#include <unistd.h>

#include "cli/lab/busybox_image.h"
#include "cli/lab/lab.h"
#include "cli/lab/lab_files.h"
#include "cli/lab/lab_fs.h"
#include "cli/lab/lab_host.h"
#include "cli/lab/lab_keys.h"
#include "cli/lab/lab_network.h"
#include "cli/lab/lab_probe.h"
#include "base/unix_http.h"

namespace baton::cli::lab {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Error OnHost(const LabHost& h, Error e) {
  e.where = "host " + h.name;
  return e;
}

Status PrepareKeys(const LabLayout& layout, const std::vector<LabHost>& hosts) {
  if (auto s = MakeDirectory(layout.dir(), 0700); !s.ok()) return s;
  if (auto s = EnsureKeyPair(layout.identity_file(), "baton-lab"); !s.ok()) return s;
  for (const LabHost& h : hosts)
    if (auto s = EnsureKeyPair(layout.host_key(h.name), "baton-lab " + h.name); !s.ok()) return s;
  return Status::Ok();
}

// Network, files, pin and daemons of every host; returns the pins.
Result<std::vector<pid_t>> StartHosts(const LabLayout& layout, const std::vector<LabHost>& hosts,
                                      const std::string& storage_driver) {
  if (auto s = CreateBridge(); !s.ok()) return s.error();
  std::vector<pid_t> pins;
  for (const LabHost& h : hosts) {
    if (auto s = CreateHostNetwork(h); !s.ok()) return OnHost(h, s.error());
    if (auto s = PrepareHostFiles(layout, h, storage_driver); !s.ok()) return OnHost(h, s.error());
    auto pin = StartPin(h);
    if (!pin.ok()) return OnHost(h, pin.error());
    if (auto s = StartHostDaemons(h, *pin); !s.ok()) return OnHost(h, s.error());
    pins.push_back(*pin);
  }
  return pins;
}

Status WaitForDaemons(const LabHost& h, pid_t pin) {
  // dockerd usually answers within a second; the limit is for a loaded CI machine.
  Status docker = WaitFor([&] { return ProbeDockerd(h, pin, seconds(2)); }, seconds(60));
  if (!docker.ok())
    return OnHost(h, docker.error().Within("dockerd does not answer (see " +
                                           (h.log_dir() / "dockerd.log").string() + ")"));
  Status sshd = WaitFor([&] { return ProbeSshd(h, seconds(2)); }, seconds(20));
  if (!sshd.ok())
    return OnHost(h, sshd.error().Within("sshd does not answer (see " +
                                         (h.log_dir() / "sshd.log").string() + ")"));
  return Status::Ok();
}

// POST /images/load answers 200 even when the load fails, with the failure as
// an "error" member in its JSON stream; so check the stream and the tags.
Status LoadImage(const LabHost& h, pid_t pin, const std::string& archive) {
  std::string socket = DockerSocketPath(h, pin);
  auto reply = UnixHttpRequest(socket, "POST", "/images/load?quiet=1", "application/x-tar",
                               archive, seconds(60));
  if (!reply.ok()) return OnHost(h, reply.error().Within("load image"));
  if (reply->status != 200 || reply->body.find("\"error") != std::string::npos)
    return OnHost(h, Error::Internal("", "load image: " + std::to_string(reply->status) + " " +
                                             reply->body));
  for (const std::string& tag : kLabImageTags) {
    auto image = UnixHttpRequest(socket, "GET", "/images/" + tag + "/json", "", "", seconds(10));
    if (!image.ok()) return OnHost(h, image.error().Within("inspect " + tag));
    if (image->status != 200)
      return OnHost(h, Error::Internal("", "image " + tag + " missing after load"));
  }
  return Status::Ok();
}

Status WriteClientFiles(const LabLayout& layout, const std::vector<LabHost>& hosts,
                        bool update_user_known_hosts) {
  if (auto s = WriteLabKnownHosts(layout, hosts); !s.ok()) return s;
  if (auto s = WriteFileAtomically(layout.hosts_file(), RenderHostsFile(layout, hosts), 0644);
      !s.ok())
    return s;
  if (!update_user_known_hosts) return Status::Ok();
  return AddToKnownHosts(UserKnownHostsFile(), layout, hosts);
}

}  // namespace

Result<UpSummary> Up(const UpOptions& options) {
  auto started = std::chrono::steady_clock::now();
  if (geteuid() != 0) return Error::Invalid("", "the lab needs root");
  if (options.hosts < 1 || options.hosts > kMaxHosts)
    return Error::Invalid("", "host count " + std::to_string(options.hosts) + " is not in 1-" +
                                  std::to_string(kMaxHosts));
  LabLayout layout(options.dir);
  std::vector<LabHost> hosts = layout.Hosts(options.hosts);

  if (auto s = Down(layout); !s.ok()) return s.error().Within("remove the previous lab");
  if (auto s = PrepareKeys(layout, hosts); !s.ok()) return s.error();
  auto image = BuildBusyboxImageArchive();
  if (!image.ok()) return image.error();
  auto pins = StartHosts(layout, hosts, options.storage_driver);
  if (!pins.ok()) return pins.error();
  for (size_t i = 0; i < hosts.size(); ++i)
    if (auto s = WaitForDaemons(hosts[i], (*pins)[i]); !s.ok()) return s.error();
  for (size_t i = 0; i < hosts.size(); ++i)
    if (auto s = LoadImage(hosts[i], (*pins)[i], *image); !s.ok()) return s.error();
  if (auto s = WriteClientFiles(layout, hosts, options.update_user_known_hosts); !s.ok())
    return s.error();
  for (const LabHost& h : hosts)
    if (auto s = ProbeSshLogin(layout, h); !s.ok()) return OnHost(h, s.error());

  UpSummary summary{hosts, {}, {}};
  for (size_t i = 0; i < hosts.size(); ++i)
    summary.docker_sockets.push_back(DockerSocketPath(hosts[i], (*pins)[i]));
  summary.elapsed =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  return summary;
}

}  // namespace baton::cli::lab
