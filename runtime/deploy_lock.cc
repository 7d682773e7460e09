// DeployLock: a never-started container per host whose name is the lock.
// The engine refuses a second container of one name atomically, which is
// the whole mutual exclusion; the labels only say who holds it. It carries
// no compose project label, so `ps` and ObserveProject never see it.

#include "runtime/deploy_lock.h"

#include <pwd.h>
#include <unistd.h>

#include <ctime>
#include <optional>
#include <utility>

#include "base/rfc3339.h"
#include "runtime/lock_image.h"

namespace baton::runtime {
namespace {

constexpr char kLockLabel[] = "baton.lock";  // the project
constexpr char kHolderLabel[] = "baton.lock.holder";
constexpr char kSinceLabel[] = "baton.lock.since";

std::string LockName(const std::string& project) { return "baton-lock-" + project; }

ContainerSpec LockSpec(const std::string& project, const std::string& holder) {
  ContainerSpec spec;
  spec.name = LockName(project);
  spec.image = kLockImage;
  spec.cmd = std::vector<std::string>{"baton-lock"};
  spec.labels = {{kLockLabel, project}, {kHolderLabel, holder}, {kSinceLabel, NowRfc3339()}};
  spec.host_config.network_mode = "none";  // it never runs: no network is needed
  return spec;
}

struct FoundLock {
  std::string id;
  LockHolder holder;
};

// The project's lock container on `host`, if there is one (a container of
// that name that is not a lock of this project does not count).
Result<std::optional<FoundLock>> FindLock(DockerClient& docker, const std::string& host,
                                          const std::string& project) {
  Result<ContainerInfo> info = docker.InspectContainer(LockName(project));
  if (!info.ok()) {
    if (info.error().kind == Error::Kind::kNotFound) return std::optional<FoundLock>();
    return info.error();
  }
  const Labels& labels = info->labels;
  if (LabelOf(labels, kLockLabel) != project) return std::optional<FoundLock>();
  return std::optional<FoundLock>(
      FoundLock{info->id, {LabelOf(labels, kHolderLabel), LabelOf(labels, kSinceLabel), host}});
}

Error Taken(const std::string& project, const LockHolder& holder) {
  return Error::Conflict("", "project " + project + " is being deployed by " + holder.holder +
                                 " since " + holder.since + " (lock on " + holder.host +
                                 "); if that deploy is dead, run `baton unlock`");
}

// Creates the lock on one host. A conflict becomes Taken, naming the holder.
Status TakeOn(DockerClient& docker, const std::string& host, const std::string& project,
              const std::string& holder) {
  if (Status s = EnsureLockImage(docker); !s.ok()) return s;
  // Twice: a lock released between our create and our inspect is free again.
  for (int attempt = 0;; ++attempt) {
    Result<ContainerCreated> created = docker.CreateContainer(LockSpec(project, holder));
    if (created.ok()) return Status::Ok();
    if (created.error().kind != Error::Kind::kConflict) return created.error();
    Result<std::optional<FoundLock>> found = FindLock(docker, host, project);
    if (!found.ok()) return found.error();
    if (found->has_value()) return Taken(project, (*found)->holder);
    if (attempt == 1) return created.error();
  }
}

// Removes the project's lock on `host` if it still names `holder` (it may
// have been broken and taken by someone else since).
Status ReleaseOn(HostPool& pool, const std::string& host, const std::string& project,
                 const std::string& holder) {
  Result<DockerClient*> docker = pool.Docker(host);
  if (!docker.ok()) return docker.error();
  Result<std::optional<FoundLock>> found = FindLock(**docker, host, project);
  if (!found.ok()) return found.error();
  if (!found->has_value() || (*found)->holder.holder != holder) return Status::Ok();
  RemoveContainerOptions force;
  force.force = true;
  return (*docker)->RemoveContainer((*found)->id, force);
}

}  // namespace

DeployLock::DeployLock(HostPool* pool, std::string project, std::string holder,
                       std::vector<std::string> hosts)
    : pool_(pool),
      project_(std::move(project)),
      holder_(std::move(holder)),
      hosts_(std::move(hosts)) {}

DeployLock::DeployLock(DeployLock&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      project_(std::move(other.project_)),
      holder_(std::move(other.holder_)),
      hosts_(std::move(other.hosts_)) {}

DeployLock& DeployLock::operator=(DeployLock&& other) noexcept {
  if (this != &other) {
    (void)Release();
    pool_ = std::exchange(other.pool_, nullptr);
    project_ = std::move(other.project_);
    holder_ = std::move(other.holder_);
    hosts_ = std::move(other.hosts_);
  }
  return *this;
}

DeployLock::~DeployLock() { (void)Release(); }

Result<DeployLock> DeployLock::Acquire(HostPool& pool, const std::string& project,
                                       const std::string& holder) {
  DeployLock lock(&pool, project, holder, {});
  // In hosts-file order, so two deployers meet on the first host and never
  // each hold a part.
  for (HostHandle& host : pool.hosts()) {
    if (!host.reachable()) continue;
    Status taken = TakeOn(*host.docker, host.config.name, project, holder);
    if (!taken.ok()) {
      (void)lock.Release();
      if (taken.error().kind == Error::Kind::kConflict && taken.error().where.empty())
        return taken.error();
      return taken.error().Within("take deploy lock");
    }
    lock.hosts_.push_back(host.config.name);
  }
  return lock;
}

Status DeployLock::Release() {
  if (pool_ == nullptr) return Status::Ok();
  Status first = Status::Ok();
  for (auto host = hosts_.rbegin(); host != hosts_.rend(); ++host) {
    Status removed = ReleaseOn(*pool_, *host, project_, holder_);
    if (!removed.ok() && first.ok()) first = removed.error().Within("release deploy lock");
  }
  pool_ = nullptr;
  hosts_.clear();
  return first;
}

Result<std::vector<LockHolder>> DeployLock::Holders(HostPool& pool, const std::string& project) {
  std::vector<LockHolder> holders;
  for (HostHandle& host : pool.hosts()) {
    if (!host.reachable()) continue;
    Result<std::optional<FoundLock>> found = FindLock(*host.docker, host.config.name, project);
    if (!found.ok()) return found.error().Within("read deploy lock");
    if (found->has_value()) holders.push_back((*found)->holder);
  }
  return holders;
}

Status DeployLock::Break(HostPool& pool, const std::string& project) {
  Status first = Status::Ok();
  for (HostHandle& host : pool.hosts()) {
    if (!host.reachable()) continue;
    Result<std::optional<FoundLock>> found = FindLock(*host.docker, host.config.name, project);
    Status removed = Status::Ok();
    if (!found.ok()) {
      removed = found.error();
    } else if (found->has_value()) {
      RemoveContainerOptions force;
      force.force = true;
      removed = host.docker->RemoveContainer((*found)->id, force);
    }
    if (!removed.ok() && first.ok()) first = removed.error().Within("break deploy lock");
  }
  return first;
}

std::string ThisProcessHolder() {
  std::string user;
  passwd entry{};
  passwd* found = nullptr;
  char buffer[4096];
  if (::getpwuid_r(::getuid(), &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr)
    user = found->pw_name;
  else
    user = std::to_string(::getuid());
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return user + "@" + (host[0] != '\0' ? host : "unknown") + " pid " + std::to_string(::getpid());
}

}  // namespace baton::runtime
