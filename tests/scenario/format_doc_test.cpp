// The scenario format's documentation (resources/scenarios/README.md) names every node kind
// and every parameter the loader accepts, so it cannot silently fall behind the code.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scenario/node_kinds.h"

namespace cs::test {
namespace {

TEST(ScenarioFormatDoc, NamesEveryKindAndParameter) {
    std::ifstream in(CHANSCOPE_SOURCE_DIR "/resources/scenarios/README.md");
    ASSERT_TRUE(in) << "README.md not found";
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    for (const auto& kind : scenario::node_kinds()) {
        size_t at = doc.find("### " + kind.name + "\n");
        ASSERT_NE(at, std::string::npos) << "no section for " << kind.name;
        size_t end = doc.find("\n### ", at + 1);
        std::string section =
            doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
        for (const auto& p : kind.params)
            EXPECT_NE(section.find("`" + p.name + "`"), std::string::npos)
                << kind.name << "." << p.name;
    }
}

}  // namespace
}  // namespace cs::test
