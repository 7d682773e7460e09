// Reading the lease from outside (`ps`, `baton events`): any reachable host
// will do, and the record with the highest (term, seq) is the freshest.

#include <algorithm>

#include "runtime/docker_client.h"
#include "runtime/project_lease.h"
#include "runtime/project_lease_record.h"

namespace baton::runtime {
namespace {

struct ReadRecords {
  std::vector<LeaseRecord> records;  // hosts-file order
  size_t hosts_read = 0;
  std::optional<Error> first_error;
};

ReadRecords FindAll(const std::vector<LeaseHost>& hosts, const std::string& project) {
  ReadRecords read;
  for (const LeaseHost& host : hosts) {
    if (host.docker == nullptr) continue;
    Result<std::optional<LeaseRecord>> found = lease_record::Find(*host.docker, host.name, project);
    if (!found.ok()) {
      if (!read.first_error) read.first_error = found.error();
      continue;
    }
    ++read.hosts_read;
    if (*found) read.records.push_back(**found);
  }
  return read;
}

Error NoHostRead(const ReadRecords& read, const std::string& project) {
  if (read.first_error) return read.first_error->Within("read lease of " + project);
  return Error::Unreachable("", "read lease of " + project + ": no host is reachable");
}

bool Fresher(const LeaseRecord& a, const LeaseRecord& b) {
  return a.term != b.term ? a.term > b.term : a.seq > b.seq;
}

}  // namespace

Result<LeaseView> ProjectLease::Read(const std::vector<LeaseHost>& hosts,
                                     const std::string& project) {
  ReadRecords read = FindAll(hosts, project);
  if (read.hosts_read == 0) return NoHostRead(read, project);
  LeaseView view;
  view.records = std::move(read.records);
  for (const LeaseRecord& record : view.records) {
    if (record.term > view.term || view.holder.empty()) {
      view.term = record.term;
      view.holder = record.holder;
    }
  }
  return view;
}

Result<std::string> ProjectLease::ReadFile(const std::vector<LeaseHost>& hosts,
                                           const std::string& project, const std::string& file) {
  ReadRecords read = FindAll(hosts, project);
  if (read.hosts_read == 0) return NoHostRead(read, project);
  std::stable_sort(read.records.begin(), read.records.end(), Fresher);
  for (const LeaseRecord& record : read.records) {
    for (const LeaseHost& host : hosts) {
      if (host.name != record.host || host.docker == nullptr) continue;
      Result<std::string> text = lease_record::ReadFile(*host.docker, record.id, file);
      if (text.ok()) return text;
      if (text.error().kind != Error::Kind::kNotFound) return text.error();
    }
  }
  return Error::NotFound("", "project " + project + " has no " + file + " in a lease record");
}

}  // namespace baton::runtime
