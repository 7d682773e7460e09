// DeliverSecrets: every secret of a replica in one tar, put at "/" of its
// created container before it starts.

#include "runtime/secret_delivery.h"

#include <string.h>

#include <algorithm>
#include <ctime>
#include <span>
#include <string>

#include "base/tar_header.h"

namespace baton::runtime {
namespace {

// "secret a (/run/secrets/a)" or "secrets a (/run/secrets/a), b (/b)".
std::string Listed(const std::vector<planner::SecretUse>& secrets) {
  std::string text = secrets.size() == 1 ? "secret " : "secrets ";
  for (size_t i = 0; i < secrets.size(); ++i)
    text += (i == 0 ? "" : ", ") + secrets[i].key + " (" + secrets[i].target + ")";
  return text;
}

// "secret db-password (/run/secrets/db-password)": what errors name, never
// the value.
std::string Named(const planner::SecretUse& secret) { return Listed({secret}); }

void Wipe(std::string& text) {
  explicit_bzero(text.data(), text.size());
  text.clear();
}

// The tar in pieces (headers, values, padding), sent one after another: no
// value is copied into a growing buffer, whose old blocks would be freed
// unwiped, and every piece is wiped when the body goes.
class SecretsBody {
 public:
  explicit SecretsBody(size_t secrets) { pieces_.reserve(3 * secrets + 1); }
  SecretsBody(const SecretsBody&) = delete;
  SecretsBody& operator=(const SecretsBody&) = delete;
  ~SecretsBody() {
    for (std::string& piece : pieces_) Wipe(piece);
  }
  void Add(const std::string& piece) { pieces_.push_back(piece); }
  // BodyReader semantics: up to buffer.size() bytes, 0 at the end.
  size_t Read(std::span<char> buffer) {
    size_t n = 0;
    while (n < buffer.size() && piece_ < pieces_.size()) {
      const std::string& piece = pieces_[piece_];
      size_t take = std::min(buffer.size() - n, piece.size() - offset_);
      std::copy_n(piece.data() + offset_, take, buffer.data() + n);
      n += take;
      offset_ += take;
      if (offset_ == piece.size()) ++piece_, offset_ = 0;
    }
    return n;
  }

 private:
  std::vector<std::string> pieces_;
  size_t piece_ = 0;   // the piece Read continues in
  size_t offset_ = 0;  // within it
};

// The entry for `secret` at its absolute target, less the leading "/" (the
// tar is put at "/"). No directory entries: the engine makes missing
// parents 0755 root, and a directory entry would re-apply its mode to an
// existing folder of the image.
Status AddEntry(const planner::SecretUse& secret, const ContentSource& content, SecretsBody& body) {
  if (!secret.target.starts_with("/") || secret.target.ends_with("/") || secret.target.size() < 2)
    return Error::Internal("", Named(secret) + ": the target is not an absolute file path");
  Result<std::string> value = content.SecretValue(secret.key);
  if (!value.ok()) return value.error().Within(Named(secret));
  TarHeader header;
  header.path = secret.target.substr(1);
  header.type = '0';
  header.mode = secret.mode;
  header.uid = secret.uid;
  header.gid = secret.gid;
  header.size = value->size();
  // Dated when delivered, as a file written at start would be, not 1970.
  header.mtime = static_cast<int64_t>(std::time(nullptr));
  body.Add(TarHeaderBlocks(header));
  body.Add(*value);
  body.Add(TarPadding(value->size()));
  Wipe(*value);
  return Status::Ok();
}

}  // namespace

Status DeliverSecrets(DockerClient& docker, std::string_view container,
                      const std::vector<planner::SecretUse>& secrets,
                      const ContentSource& content) {
  if (secrets.empty()) return Status::Ok();
  SecretsBody body(secrets.size());
  for (const planner::SecretUse& secret : secrets)
    if (Status s = AddEntry(secret, content, body); !s.ok()) return s;
  body.Add(TarEnd());
  BodyReader reader = [&body](std::span<char> buffer) -> Result<std::size_t> {
    return body.Read(buffer);
  };
  // The engine's answer names paths, never contents.
  if (Status s = docker.PutArchive(container, "/", reader); !s.ok())
    return s.error().Within("copy " + Listed(secrets));
  return Status::Ok();
}

}  // namespace baton::runtime
