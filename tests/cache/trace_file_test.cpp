// Trace files: both formats, comments and blank lines, keys to dense ids, and every malformed
// line refused with its file and line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "cache/trace_file.h"

namespace cs::test {
namespace {

using cache::parse_trace;
using cache::TraceError;

const std::string hint =
    " (expected one key per line, or the ARC format 'start count ignored ignored')";

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("chanscope_trace_test_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

// The error parse_trace throws on `text`, as what() says it.
std::string error_of(const std::string& text) {
    try {
        parse_trace(text, "t.txt");
    } catch (const TraceError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(TraceFile, OneKeyPerLineWithCommentsAndBlankLines) {
    auto t = parse_trace(
        "# a comment\nuser:1\nuser:2\n\n   \nuser:1\n  # indented comment\n"
        "\tuser:3  \r\nuser:2",  // CRLF, tabs, no newline at the end
        "t.txt");
    EXPECT_EQ(t.keys, (std::vector<uint64_t>{0, 1, 0, 2, 1}));
    EXPECT_EQ(t.distinct_keys, 3u);
}

TEST(TraceFile, ArcLinesExpandToTheirBlockRanges) {
    // Blocks 100 101 102, then 101, then 7 8: ids in order of first sight.
    auto t = parse_trace("100 3 0 0\n101 1 0 0\n7 2 -1 5\n", "t.txt");
    EXPECT_EQ(t.keys, (std::vector<uint64_t>{0, 1, 2, 1, 3, 4}));
    EXPECT_EQ(t.distinct_keys, 5u);
}

TEST(TraceFile, ANumberOnItsOwnLineIsTheArcBlockOfThatNumber) {
    auto t = parse_trace("5\n4 3 0 0\n05\nx\n6\n", "t.txt");
    // 5 | blocks 4 5 6 | "05" is a string, not 5 | x | 6
    EXPECT_EQ(t.keys, (std::vector<uint64_t>{0, 1, 0, 2, 3, 4, 2}));
    EXPECT_EQ(t.distinct_keys, 5u);
}

TEST(TraceFile, CommentsAndBlankLinesOnlyMakeAnEmptyTrace) {
    auto t = parse_trace("# nothing\n\n   \n", "t.txt");
    EXPECT_TRUE(t.keys.empty());
    EXPECT_EQ(t.distinct_keys, 0u);
}

TEST(TraceFile, MalformedLinesAreRefusedWithFileLineAndWhatIsWrong) {
    EXPECT_EQ(error_of("a\n\n# c\na b\n"), "t.txt:4: a line of 2 fields" + hint);
    EXPECT_EQ(error_of("1 2 3\n"), "t.txt:1: a line of 3 fields" + hint);
    EXPECT_EQ(error_of("x\n1 2 3 4 5\n"), "t.txt:2: a line of 5 fields" + hint);
    EXPECT_EQ(error_of("1 2 3 4 5 6 7\n"), "t.txt:1: a line of 7 fields" + hint);
    EXPECT_EQ(error_of("10 -3 0 0\n"), "t.txt:1: count \"-3\" is not a positive integer" + hint);
    EXPECT_EQ(error_of("10 many 0 0\n"),
              "t.txt:1: count \"many\" is not a positive integer" + hint);
    EXPECT_EQ(error_of("10 0 0 0\n"), "t.txt:1: count \"0\" is not a positive integer" + hint);
    EXPECT_EQ(error_of("10 2.5 0 0\n"), "t.txt:1: count \"2.5\" is not a positive integer" + hint);
    EXPECT_EQ(error_of("-1 2 0 0\n"), "t.txt:1: start \"-1\" is not a non-negative integer" + hint);
    EXPECT_EQ(error_of("a b c d\n"), "t.txt:1: start \"a\" is not a non-negative integer" + hint);
    EXPECT_EQ(error_of("99999999999999999999 1 0 0\n"),
              "t.txt:1: start \"99999999999999999999\" is above 2^64-1" + hint);
    EXPECT_EQ(error_of("1 1 x 0\n"), "t.txt:1: field 3 \"x\" is not an integer" + hint);
    EXPECT_EQ(error_of("1 1 0 -\n"), "t.txt:1: field 4 \"-\" is not an integer" + hint);
    EXPECT_EQ(error_of("18446744073709551615 2 0 0\n"),
              "t.txt:1: blocks \"18446744073709551615\" + \"2\" run past 2^64-1" + hint);
    std::string long_token(100, 'k');
    EXPECT_EQ(error_of(long_token + " 1 0 0\n"), "t.txt:1: start \"" + long_token.substr(0, 37) +
                                                     "...\" is not a non-negative integer" + hint);
}

TEST(TraceFile, TheLastBlockOfTheRangeIsAllowed) {
    auto t = parse_trace("18446744073709551614 2 0 0\n", "t.txt");
    EXPECT_EQ(t.keys.size(), 2u);
}

TEST(TraceFile, ATraceLongerThanTheLimitIsRefusedAtTheLineThatPassesIt) {
    cache::TraceFileOptions options;
    options.max_requests = 10;
    EXPECT_EQ(parse_trace("0 6 0 0\n10 4 0 0\n", "t.txt", options).keys.size(), 10u);
    try {
        parse_trace("0 6 0 0\n10 5 0 0\n", "t.txt", options);
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(e.file(), "t.txt");
        EXPECT_EQ(e.line(), 2u);
        EXPECT_EQ(e.message(), "the trace has more than 10 requests (the most it may have)");
    }
    // Key lines count too, numbers or not.
    options.max_requests = 2;
    for (const char* text : {"1\n2\n3\n", "a\nb\nc\n"}) {
        try {
            parse_trace(text, "t.txt", options);
            ADD_FAILURE() << "no error for " << text;
        } catch (const TraceError& e) {
            EXPECT_EQ(e.line(), 3u);
        }
    }
    // The default limit stops a single line asking for 2^60 blocks before it allocates.
    EXPECT_THROW(parse_trace("0 1152921504606846976 0 0\n", "t.txt"), TraceError);
}

TEST(TraceFile, ReadsAFileLargerThanOneReadAcrossChunkBoundaries) {
    // Enough lines that some straddle the reader's 1 MiB chunks; ids checked against a map
    // built here.
    std::string path = temp_path("big.txt");
    std::vector<uint64_t> expected;
    {
        std::ofstream out(path);
        std::unordered_map<std::string, uint64_t> ids;
        for (int i = 0; i < 200'000; ++i) {
            std::string key = "key-" + std::to_string((i * 7919) % 30'011);
            out << key << (i % 3 ? "\n" : "  \n");
            expected.push_back(ids.try_emplace(key, ids.size()).first->second);
        }
        out << "# the end";
    }
    auto t = cache::read_trace_file(path);
    EXPECT_EQ(t.keys, expected);
    EXPECT_EQ(t.distinct_keys, 30'011u);
    std::filesystem::remove(path);
}

TEST(TraceFile, AFileThatCannotBeReadNamesTheFileAndTheReason) {
    try {
        cache::read_trace_file("/no/such/trace.txt");
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "/no/such/trace.txt: cannot read it: No such file or directory");
        EXPECT_EQ(e.line(), 0u);
    }
    std::string dir = temp_path("dir");
    std::filesystem::create_directory(dir);
    try {
        cache::read_trace_file(dir);
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), dir + ": cannot read it: Is a directory");
    }
    std::filesystem::remove(dir);
}

TEST(TraceFile, AMalformedLineInAFileIsNumberedFromTheFilesStart) {
    std::string path = temp_path("bad.txt");
    std::ofstream(path) << "# header\n1 8 0 0\n\nk\n5 x 0 0\n";
    try {
        cache::read_trace_file(path);
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), path + ":5: count \"x\" is not a positive integer" + hint);
    }
    std::filesystem::remove(path);
}

TEST(TraceFile, AFileWithoutLineBreaksIsRefusedNotSwallowed) {
    std::string path = temp_path("binary.bin");
    std::ofstream(path) << "# first\n" << std::string((size_t{1} << 20) + 10, 'z');
    try {
        cache::read_trace_file(path);
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ":2: a line longer than 1 MiB (is this a text file?)");
    }
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace cs::test
