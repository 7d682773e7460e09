#include "runtime/content/secrets.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/sha256.h"
#include "base/unique_fd.h"
#include "runtime/content/content_pass.h"

namespace baton::content {
namespace {

const char kSecretSources[] = "baton reads secrets from a file or an environment variable";

// Reads a secret file straight into the string that will hold it, so no
// other buffer keeps a copy. Returns the problem ("does not exist") or "".
std::string ReadSecretFile(const std::string& path, std::string& value) {
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  const int fd = file.get();
  if (fd < 0 && errno == ENOENT) return " does not exist";
  if (fd < 0) return std::string(" cannot be read: ") + strerror(errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::string(" cannot be read: ") + strerror(errno);
  if (!S_ISREG(info.st_mode)) return " is not a file";
  if (static_cast<uint64_t>(info.st_size) > kMaxSecretBytes) return " is larger than 1 MiB";
  value.resize(static_cast<size_t>(info.st_size));
  size_t done = 0;
  while (done < value.size()) {
    ssize_t n = ::read(fd, value.data() + done, value.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::string(" cannot be read: ") + strerror(errno);
    if (n == 0) break;  // shrank since fstat: keep what is there
    done += static_cast<size_t>(n);
  }
  value.resize(done);
  return "";
}

// The value of secret `key`, or nullopt after listing a located error.
std::optional<SecretValue> ReadSecretValue(ContentPass& pass, const std::string& key,
                                           const compose::FileObject& secret) {
  auto where = [&](const std::string& field) {
    return ContentPass::ObjectWhere(secret, "secrets", key, field);
  };
  const std::string named = "secret \"" + key + "\"";
  if (secret.external) pass.Fail(where("external"), named + " is external; " + kSecretSources);
  if (!secret.driver.empty())
    pass.Fail(where("driver"), named + " uses driver \"" + secret.driver + "\"; " + kSecretSources);
  if (!secret.template_driver.empty())
    pass.Fail(where("template_driver"),
              named + " uses template_driver \"" + secret.template_driver + "\"; " + kSecretSources);
  if (secret.external || !secret.driver.empty() || !secret.template_driver.empty())
    return std::nullopt;
  if (!secret.file.empty()) {
    std::string bytes;
    std::string problem = ReadSecretFile(secret.file, bytes);
    std::optional<SecretValue> value;
    if (problem.empty()) value.emplace(std::move(bytes));
    // A short string leaves its bytes behind when moved; a failed read may
    // have read some.
    explicit_bzero(bytes.data(), bytes.capacity());
    if (value) return value;
    pass.Fail(where("file"),
              "file " + pass.Display(secret.file) + " required by " + named + problem);
    return std::nullopt;
  }
  auto variable = pass.options.environment.find(secret.environment);
  if (secret.environment.empty() || variable == pass.options.environment.end()) {
    pass.Fail(where("environment"), "environment variable \"" + secret.environment +
                                        "\" required by " + named + " is not set");
    return std::nullopt;
  }
  return SecretValue(variable->second);
}

// The fingerprint of secret `key`, its value read and kept on first use.
const std::optional<std::string>& Fingerprint(ContentPass& pass, const std::string& key,
                                              const compose::FileObject& secret) {
  auto cached = pass.fingerprints.find(key);
  if (cached != pass.fingerprints.end()) return cached->second;
  std::optional<std::string> fingerprint;
  if (std::optional<SecretValue> value = ReadSecretValue(pass, key, secret)) {
    fingerprint = SecretFingerprint(pass.project.name, key, value->value());
    pass.out.secrets.insert_or_assign(key, std::move(*value));
  }
  return pass.fingerprints.emplace(key, std::move(fingerprint)).first->second;
}

std::string SecretTarget(const compose::FileReference& ref) {
  if (ref.target.empty()) return "/run/secrets/" + ref.source;
  return ref.target.starts_with('/') ? ref.target : "/run/secrets/" + ref.target;
}

}  // namespace

SecretValue::~SecretValue() {
  // The whole buffer: a moved-from short string may keep its old bytes.
  explicit_bzero(value_.data(), value_.capacity());
}

std::string SecretFingerprint(std::string_view project, std::string_view key,
                              std::string_view value) {
  std::string salt = "baton-secret-v1";
  salt += '\0';
  salt += project;
  salt += '\0';
  salt += key;
  return HexOf(Pbkdf2Sha256(value, salt, kSecretFingerprintIterations));
}

void ReadSecrets(ContentPass& pass, const compose::Service& service,
                 planner::ServiceContent& use) {
  for (size_t i = 0; i < service.secrets.size(); ++i) {
    const compose::FileReference& ref = service.secrets[i];
    const std::string where =
        ContentPass::ServiceWhere(service, "secrets[" + std::to_string(i) + "]");
    auto secret = pass.project.secrets.find(ref.source);
    if (secret == pass.project.secrets.end()) {
      pass.Fail(where, "secret \"" + ref.source + "\" is not defined");
      continue;
    }
    std::optional<FileOwnership> owner = ReadOwnership(pass, where, ref);
    const std::optional<std::string>& fingerprint = Fingerprint(pass, ref.source, secret->second);
    if (!owner || !fingerprint) continue;
    use.secrets.push_back(planner::SecretUse{ref.source, *fingerprint, SecretTarget(ref),
                                             owner->uid, owner->gid, owner->mode});
  }
}

}  // namespace baton::content
