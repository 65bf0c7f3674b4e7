#pragma once
// Reading a key trace (the requests a cache would see, in order) from a text file, for the
// hit-ratio simulator. Two formats, told apart line by line:
//
//   user:42              one key per line: any token without spaces, compared as a string
//   1000 8 0 0           the ARC traces' format (Megiddo & Modha): "start count ignored
//                        ignored", four integers, requests for blocks start .. start+count-1
//
// Blank lines and lines whose first non-blank character is '#' are skipped. A key line that is
// a plain decimal number ("1003") names the same key as ARC block 1003. Keys become dense ids:
// 0 for the first key seen, 1 for the next new one, and so on.
//
//   KeyTrace t = read_trace_file("oltp.lis");  // throws TraceError, e.g. "oltp.lis:7: ..."
//   for (uint64_t id : t.keys) sim.access(id);
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cs::cache {

// A trace that cannot be read: the file, the line (1-based; 0 when it is about the whole file,
// such as one that cannot be opened) and what is wrong. what() is "FILE:LINE: message" (or
// "FILE: message").
class TraceError : public std::runtime_error {
  public:
    TraceError(std::string file, uint64_t line, std::string message);

    const std::string& file() const noexcept { return m_file; }
    uint64_t line() const noexcept { return m_line; }
    const std::string& message() const noexcept { return m_message; }

  private:
    std::string m_file, m_message;
    uint64_t m_line;
};

struct TraceFileOptions {
    // Requests at most; a longer trace is refused (one ARC line can ask for billions, each an
    // 8-byte id in memory). Default 2^28 (2 GiB of ids), above the largest published ARC
    // trace (DS1, 43 million). 0: no limit.
    uint64_t max_requests = uint64_t{1} << 28;
};

struct KeyTrace {
    std::vector<uint64_t> keys;  // one dense id per request, in order
    uint64_t distinct_keys = 0;  // ids are 0 .. distinct_keys - 1
};

// Reads and parses the file `path`. Throws TraceError (the OS's reason when it cannot be read).
KeyTrace read_trace_file(const std::string& path, const TraceFileOptions& options = {});
// Parses `text` as the contents of a trace file; `file_name` is used in messages only.
KeyTrace parse_trace(std::string_view text, const std::string& file_name,
                     const TraceFileOptions& options = {});

}  // namespace cs::cache
