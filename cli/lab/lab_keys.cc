#include "cli/lab/lab_keys.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/lab/lab_files.h"
#include "cli/lab/lab_fs.h"
#include "cli/lab/process.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;

fs::path PublicKey(const fs::path& private_key) { return private_key.string() + ".pub"; }

}  // namespace

Status EnsureKeyPair(const fs::path& private_key, const std::string& comment) {
  std::error_code ec;
  if (fs::exists(private_key, ec) && fs::exists(PublicKey(private_key), ec)) return Status::Ok();
  fs::remove(private_key, ec);
  fs::remove(PublicKey(private_key), ec);
  if (!fs::is_directory(private_key.parent_path(), ec))
    if (auto s = MakeDirectory(private_key.parent_path(), 0700); !s.ok()) return s;
  auto r = RunChecked({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                       private_key.string()});
  if (!r.ok()) return r.error();
  return Status::Ok();
}

Status WriteLabKnownHosts(const LabLayout& layout, const std::vector<LabHost>& hosts) {
  std::string text;
  for (const LabHost& h : hosts) {
    auto key = ReadWholeFile(PublicKey(layout.host_key(h.name)));
    if (!key.ok()) return key.error();
    std::string line = KnownHostsLine(h, *key);
    if (line.empty())
      return Error::Invalid("", "malformed host key " + layout.host_key(h.name).string());
    text += line;
  }
  return WriteFileAtomically(layout.known_hosts_file(), text, 0644);
}

Status AddToKnownHosts(const fs::path& known_hosts, const LabLayout& layout,
                       const std::vector<LabHost>& hosts) {
  std::string old;
  if (auto existing = ReadWholeFile(known_hosts); existing.ok())
    old = *existing;
  else if (existing.error().kind != Error::Kind::kNotFound)
    return existing.error();
  auto lab = ReadWholeFile(layout.known_hosts_file());
  if (!lab.ok()) return lab.error();
  std::error_code ec;
  if (!fs::is_directory(known_hosts.parent_path(), ec))
    if (auto s = MakeDirectory(known_hosts.parent_path(), 0700); !s.ok()) return s;
  return WriteFileAtomically(known_hosts, WithoutLabEntries(old, hosts) + *lab, 0644);
}

Status RemoveFromKnownHosts(const fs::path& known_hosts) {
  auto existing = ReadWholeFile(known_hosts);
  if (!existing.ok())
    return existing.error().kind == Error::Kind::kNotFound ? Status::Ok() : existing.error();
  std::string kept = WithoutLabEntries(*existing, {});
  if (kept == *existing) return Status::Ok();
  struct stat st;
  int mode = stat(known_hosts.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : 0644;
  return WriteFileAtomically(known_hosts, kept, mode);
}

fs::path UserKnownHostsFile() {
  const char* home = std::getenv("HOME");
  std::string dir = home && *home ? home : "";
  if (dir.empty())
    if (const passwd* pw = getpwuid(getuid())) dir = pw->pw_dir;
  return fs::path(dir.empty() ? "/root" : dir) / ".ssh" / "known_hosts";
}

}  // namespace baton::cli::lab
