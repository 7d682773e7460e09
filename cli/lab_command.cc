#include "cli/lab_command.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/lab/lab.h"
#include "cli/lab/lab_lock.h"

namespace baton::cli {
namespace {

namespace fs = std::filesystem;
using lab::LabLayout;

constexpr int kExitBroken = 1;
constexpr int kExitNoLab = 3;

// mountinfo and the hosts file hold absolute, resolved paths.
fs::path ResolveDir(const fs::path& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  fs::path resolved = fs::weakly_canonical(absolute, ec);
  return ec ? absolute : resolved;
}

int Fail(const char* command, const Error& error) {
  std::fprintf(stderr, "baton lab %s: %s\n", command, error.ToString().c_str());
  return kExitBroken;
}

void PrintUsage(const LabLayout& layout, const lab::UpSummary& summary) {
  const lab::LabHost& first = summary.hosts.front();
  std::printf("lab: %zu hosts up in %.1f s\n", summary.hosts.size(),
              static_cast<double>(summary.elapsed.count()) / 1000.0);
  for (const lab::LabHost& h : summary.hosts)
    std::printf("  %-5s %-12s zone %s\n", h.name.c_str(), h.address.c_str(), h.zone.c_str());
  std::printf(
      "hosts file: %s\n"
      "  export BATON_HOSTS=%s\n"
      "ssh:    ssh -i %s -o UserKnownHostsFile=%s root@%s\n"
      "docker: docker -H unix://%s ps\n"
      "remove: baton lab down%s\n",
      layout.hosts_file().c_str(), layout.hosts_file().c_str(), layout.identity_file().c_str(),
      layout.known_hosts_file().c_str(), first.address.c_str(),
      summary.docker_sockets.front().c_str(),
      layout.dir() == lab::kDefaultLabDir ? "" : (" --dir " + layout.dir().string()).c_str());
}

// Checked before anything else, so a user without root gets this message
// instead of a permission error about some file.
Status RequireRoot() {
  if (geteuid() == 0) return Status::Ok();
  return Error::Invalid("", "the lab needs root");
}

int RunUp(lab::UpOptions options) {
  if (Status s = RequireRoot(); !s.ok()) return Fail("up", s.error());
  options.dir = ResolveDir(options.dir);
  auto lock = lab::LockLabDir(options.dir);
  if (!lock.ok()) return Fail("up", lock.error());
  auto summary = lab::Up(options);
  if (!summary.ok()) {
    Fail("up", summary.error());
    if (summary.error().kind != Error::Kind::kInvalid)
      std::fputs("the half-built lab stays for inspection; remove it with: baton lab down\n",
                 stderr);
    return kExitBroken;
  }
  PrintUsage(LabLayout(options.dir), *summary);
  return 0;
}

int RunDown(const fs::path& dir) {
  if (Status s = RequireRoot(); !s.ok()) return Fail("down", s.error());
  LabLayout layout(ResolveDir(dir));
  // Without a lab directory there is nothing to lock, and down must not create one.
  Result<UniqueFd> lock = UniqueFd();
  if (fs::exists(layout.dir())) lock = lab::LockLabDir(layout.dir());
  if (!lock.ok()) return Fail("down", lock.error());
  if (Status s = lab::Down(layout); !s.ok()) return Fail("down", s.error());
  return 0;
}

int RunStatus(const fs::path& dir) {
  if (Status s = RequireRoot(); !s.ok()) return Fail("status", s.error());
  lab::LabHealth health = lab::Observe(LabLayout(ResolveDir(dir)));
  if (health.empty()) {
    std::printf("no lab is up\n");
    return kExitNoLab;
  }
  std::fputs(lab::RenderHealth(health).c_str(), stdout);
  return health.ok() ? 0 : kExitBroken;
}

void AddDirOption(CLI::App& command, fs::path& dir) {
  command.add_option("--dir", dir,
                     "lab directory: keys, hosts file, each host's files (default " +
                         std::string(lab::kDefaultLabDir) + ")")
      ->envname("BATON_LAB_DIR");
}

}  // namespace

void AddLabCommand(CLI::App& app, Runner& run) {
  CLI::App* group = app.add_subcommand(
      "lab", "A test lab: real Docker hosts (dockerd + sshd) on this machine; needs root");
  group->require_subcommand(1);
  // Parsed values must outlive parsing; the callbacks share them with `run`.
  auto up = std::make_shared<lab::UpOptions>();
  auto dir = std::make_shared<fs::path>(lab::kDefaultLabDir);

  CLI::App* up_cmd = group->add_subcommand(
      "up", "Remove any earlier lab, then start N hosts lab1..labN at 10.209.0.11...");
  up_cmd->add_option("hosts", up->hosts, "number of hosts, 1-20")->capture_default_str();
  AddDirOption(*up_cmd, up->dir);
  up_cmd->add_flag("--update-user-known-hosts", up->update_user_known_hosts,
                   "also add the hosts' keys to ~/.ssh/known_hosts (removed by down)");
  up_cmd->add_option("--storage-driver", up->storage_driver, "dockerd storage driver")
      ->check(CLI::IsMember({"overlay2", "vfs"}))
      ->capture_default_str();
  up_cmd->callback([&run, up] { run = [up] { return RunUp(*up); }; });

  CLI::App* down_cmd = group->add_subcommand(
      "down", "Remove every trace of the lab, also after a killed run; keeps the keys");
  AddDirOption(*down_cmd, *dir);
  down_cmd->callback([&run, dir] { run = [dir] { return RunDown(*dir); }; });

  CLI::App* status_cmd = group->add_subcommand(
      "status", "Show each host and whether dockerd and sshd answer; exit 1 if broken, 3 if none");
  AddDirOption(*status_cmd, *dir);
  status_cmd->callback([&run, dir] { run = [dir] { return RunStatus(*dir); }; });
}

}  // namespace baton::cli
