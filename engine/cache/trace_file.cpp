#include "cache/trace_file.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace cs::cache {
namespace {

constexpr const char* expected_formats =
    " (expected one key per line, or the ARC format 'start count ignored ignored')";
// A longer line is not a trace line; refusing it bounds what a binary file can make us hold.
constexpr size_t max_line_bytes = size_t{1} << 20;

std::string compose(const std::string& file, uint64_t line, const std::string& message) {
    return line ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}

// A token as messages show it: quoted, and cut short if long (it may be a line of binary).
std::string quoted(std::string_view token) {
    if (token.size() > 40) return "\"" + std::string(token.substr(0, 37)) + "...\"";
    return "\"" + std::string(token) + "\"";
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

enum class Number { ok, not_a_number, too_large };

Number parse_u64(std::string_view s, uint64_t& value) {
    if (!all_digits(s)) return Number::not_a_number;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc::result_out_of_range ? Number::too_large : Number::ok;
}

class TraceParser {
  public:
    TraceParser(const std::string& file, const TraceFileOptions& options)
        : m_file(file), m_options(options) {}

    void line(std::string_view text) {
        ++m_line;
        std::string_view fields[5];
        size_t count = 0;
        for (size_t i = 0; i < text.size();) {
            i = text.find_first_not_of(" \t\r\v\f", i);
            if (i == std::string_view::npos) break;
            size_t end = std::min(text.find_first_of(" \t\r\v\f", i), text.size());
            if (count < 5) fields[count] = text.substr(i, end - i);
            ++count;
            i = end;
        }
        if (count == 0 || fields[0][0] == '#') return;  // blank, or a comment
        if (count == 1) return add_key(fields[0]);
        if (count == 4) return add_blocks(fields);
        malformed("a line of " + std::to_string(count) + " fields");
    }

    KeyTrace finish() {
        m_trace.distinct_keys = m_next_id;
        return std::move(m_trace);
    }

    [[noreturn]] void fail(const std::string& message) const {
        throw TraceError(m_file, m_line, message);
    }
    // For a line not yet passed to line(): the one after the last.
    [[noreturn]] void fail_on_next_line(const std::string& message) const {
        throw TraceError(m_file, m_line + 1, message);
    }

  private:
    [[noreturn]] void malformed(const std::string& what) const { fail(what + expected_formats); }

    void add_key(std::string_view token) {
        check_limit(1);
        uint64_t block;
        // "1003" is ARC block 1003; "01003" and "+1003" are just strings.
        bool canonical = (token.size() == 1 || token[0] != '0');
        if (canonical && parse_u64(token, block) == Number::ok) return add_block(block);
        m_scratch.assign(token);
        auto [it, fresh] = m_string_ids.try_emplace(m_scratch, m_next_id);
        if (fresh) ++m_next_id;
        m_trace.keys.push_back(it->second);
    }

    void add_blocks(const std::string_view (&fields)[5]) {
        uint64_t start, count;
        switch (parse_u64(fields[0], start)) {
            case Number::ok:
                break;
            case Number::not_a_number:
                malformed("start " + quoted(fields[0]) + " is not a non-negative integer");
            case Number::too_large:
                malformed("start " + quoted(fields[0]) + " is above 2^64-1");
        }
        if (parse_u64(fields[1], count) != Number::ok || count == 0)
            malformed("count " + quoted(fields[1]) + " is not a positive integer");
        for (int f = 2; f < 4; ++f) {
            std::string_view s = fields[f];
            if (!s.empty() && s[0] == '-') s.remove_prefix(1);
            if (!all_digits(s))
                malformed("field " + std::to_string(f + 1) + " " + quoted(fields[f]) +
                          " is not an integer");
        }
        if (count - 1 > UINT64_MAX - start)
            malformed("blocks " + quoted(fields[0]) + " + " + quoted(fields[1]) +
                      " run past 2^64-1");
        check_limit(count);
        for (uint64_t b = start; b - start < count; ++b) add_block(b);
    }

    void add_block(uint64_t block) {
        auto [it, fresh] = m_block_ids.try_emplace(block, m_next_id);
        if (fresh) ++m_next_id;
        m_trace.keys.push_back(it->second);
    }

    // Refuses the line if `more` requests would take the trace past the limit.
    void check_limit(uint64_t more) {
        uint64_t limit = m_options.max_requests;
        if (limit && (more > limit || m_trace.keys.size() > limit - more))
            fail("the trace has more than " + std::to_string(limit) +
                 " requests (the most it may have)");
    }

    const std::string& m_file;
    const TraceFileOptions& m_options;
    uint64_t m_line = 0;
    KeyTrace m_trace;
    uint64_t m_next_id = 0;
    // A key line that is a decimal number and an ARC block of that number are the same key.
    std::unordered_map<uint64_t, uint64_t> m_block_ids;
    std::unordered_map<std::string, uint64_t> m_string_ids;
    std::string m_scratch;  // reused, so a repeated string key costs no allocation
};

// Calls `each(line)` for every line of `chunk`, the first one continuing `carry` (the unfinished
// last line of the previous chunk), and leaves this chunk's unfinished last line in `carry`.
template <class Each>
void split_lines(std::string_view chunk, std::string& carry, Each&& each) {
    size_t start = 0;
    for (size_t nl; (nl = chunk.find('\n', start)) != std::string_view::npos; start = nl + 1) {
        if (carry.empty()) {
            each(chunk.substr(start, nl - start));
        } else {
            carry.append(chunk.substr(start, nl - start));
            each(std::string_view(carry));
            carry.clear();
        }
    }
    carry.append(chunk.substr(start));
}

}  // namespace

TraceError::TraceError(std::string file, uint64_t line, std::string message)
    : std::runtime_error(compose(file, line, message)),
      m_file(std::move(file)),
      m_message(std::move(message)),
      m_line(line) {}

KeyTrace parse_trace(std::string_view text, const std::string& file_name,
                     const TraceFileOptions& options) {
    TraceParser parser(file_name, options);
    std::string carry;
    split_lines(text, carry, [&](std::string_view line) { parser.line(line); });
    if (!carry.empty()) parser.line(carry);  // a last line with no newline
    return parser.finish();
}

KeyTrace read_trace_file(const std::string& path, const TraceFileOptions& options) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) throw TraceError(path, 0, std::string("cannot read it: ") + std::strerror(errno));
    TraceParser parser(path, options);
    std::string carry;
    std::vector<char> buffer(size_t{1} << 20);
    for (;;) {
        size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
        if (got < buffer.size() && std::ferror(file.get())) {
            int error = errno;  // before anything else can change it (a directory: EISDIR)
            throw TraceError(path, 0, std::string("cannot read it: ") + std::strerror(error));
        }
        split_lines(std::string_view(buffer.data(), got), carry,
                    [&](std::string_view line) { parser.line(line); });
        if (carry.size() > max_line_bytes)
            parser.fail_on_next_line("a line longer than 1 MiB (is this a text file?)");
        if (got < buffer.size()) break;  // end of file
    }
    if (!carry.empty()) parser.line(carry);
    return parser.finish();
}

}  // namespace cs::cache
