// Hash slots as the Redis Cluster specification defines them (CRC16-XMODEM, hash tags), a slot
// map read from a CLUSTER SLOTS reply, and the redirects an error reply can carry.
#include <gtest/gtest.h>

#include "redis/cluster_slots.h"
#include "redis/redis_error.h"

namespace cs::test {
namespace {

using redis::key_slot;
using redis::NodeAddress;
using redis::parse_redirect;
using redis::Redirect;
using redis::RedisError;
using redis::Reply;
using redis::SlotMap;

TEST(ClusterSlots, Crc16IsXmodemAsTheSpecificationsReferenceValue) {
    EXPECT_EQ(redis::crc16_xmodem("123456789"), 0x31C3);
    EXPECT_EQ(redis::crc16_xmodem(""), 0);
}

TEST(ClusterSlots, KeysHashToTheSlotsRedisGivesThem) {
    // CLUSTER KEYSLOT on a real server says the same (cluster_client_test checks it live).
    EXPECT_EQ(key_slot("foo"), 12182);
    EXPECT_EQ(key_slot("bar"), 5061);
    EXPECT_EQ(key_slot("123456789"), 0x31C3 % 16384);
}

TEST(ClusterSlots, OnlyTheFirstNonEmptyHashTagIsHashed) {
    EXPECT_EQ(redis::hash_tag("{user1000}.following"), "user1000");
    EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
    EXPECT_EQ(redis::hash_tag("foo{}{bar}"), "foo{}{bar}");  // the first {} is empty: all of it
    EXPECT_EQ(redis::hash_tag("foo{{bar}}zap"), "{bar");     // up to the first } after the {
    EXPECT_EQ(redis::hash_tag("foo{bar}{zap}"), "bar");      // only the first tag
    EXPECT_EQ(redis::hash_tag("no braces"), "no braces");
    EXPECT_EQ(redis::hash_tag("{open"), "{open");
}

Reply integer(long long v) {
    Reply r;
    r.type = Reply::Type::integer;
    r.integer = v;
    return r;
}
Reply text(std::string s) {
    Reply r;
    r.type = Reply::Type::string;
    r.str = std::move(s);
    return r;
}
Reply array(std::vector<Reply> elements) {
    Reply r;
    r.type = Reply::Type::array;
    r.elements = std::move(elements);
    return r;
}
Reply range(long long first, long long last, std::string host, long long port) {
    Reply master = array({text(std::move(host)), integer(port), text("id")});
    Reply replica = array({text("10.0.0.9"), integer(7009), text("replica-id")});
    return array({integer(first), integer(last), master, replica});
}

TEST(ClusterSlots, ASlotMapTakesEachRangesMasterAndNotItsReplicas) {
    Reply slots = array({range(0, 5460, "10.0.0.1", 7000), range(5461, 10922, "10.0.0.2", 7001),
                         range(10923, 16383, "", 7002)});
    SlotMap map = SlotMap::from_cluster_slots(slots, "10.0.0.3");
    EXPECT_EQ(map.covered(), 16384u);
    EXPECT_EQ(map.owner(0)->text(), "10.0.0.1:7000");
    EXPECT_EQ(map.owner(5460)->text(), "10.0.0.1:7000");
    EXPECT_EQ(map.owner(5461)->text(), "10.0.0.2:7001");
    EXPECT_EQ(map.owner(16383)->text(), "10.0.0.3:7002");  // no host: the node asked
    EXPECT_EQ(map.masters().size(), 3u);

    map.assign(100, NodeAddress{"10.0.0.2", 7001});  // a MOVED
    EXPECT_EQ(map.owner(100)->text(), "10.0.0.2:7001");
    EXPECT_EQ(map.masters().size(), 3u);
}

TEST(ClusterSlots, UncoveredSlotsHaveNoOwner) {
    SlotMap map = SlotMap::from_cluster_slots(array({range(0, 99, "h", 1)}), "h");
    EXPECT_EQ(map.covered(), 100u);
    EXPECT_EQ(map.owner(100), nullptr);
    EXPECT_TRUE(SlotMap::from_cluster_slots(array({}), "h").empty());
}

TEST(ClusterSlots, AReplyOfAnotherShapeIsAProtocolError) {
    auto kind_of = [](const Reply& r) {
        try {
            SlotMap::from_cluster_slots(r, "h");
        } catch (const RedisError& e) {
            EXPECT_NE(std::string(e.what()).find("CLUSTER SLOTS"), std::string::npos) << e.what();
            return e.kind();
        }
        return redis::RedisErrorKind::down;
    };
    EXPECT_EQ(kind_of(text("nope")), redis::RedisErrorKind::protocol);
    EXPECT_EQ(kind_of(array({array({integer(0), integer(20000), array({text("h"), integer(1)})})})),
              redis::RedisErrorKind::protocol);
    EXPECT_EQ(kind_of(array({array({integer(5), integer(1), array({text("h"), integer(1)})})})),
              redis::RedisErrorKind::protocol);
    EXPECT_EQ(kind_of(array({array({integer(0), integer(1)})})), redis::RedisErrorKind::protocol);
}

TEST(ClusterSlots, RedirectsSayWhereToGo) {
    Redirect moved = parse_redirect("MOVED 3999 127.0.0.1:6381");
    EXPECT_EQ(moved.kind, Redirect::Kind::moved);
    EXPECT_EQ(moved.slot, 3999);
    EXPECT_EQ(moved.to, (NodeAddress{"127.0.0.1", 6381}));

    Redirect ask = parse_redirect("ASK 12182 ::1:7002");  // IPv6, unbracketed
    EXPECT_EQ(ask.kind, Redirect::Kind::ask);
    EXPECT_EQ(ask.to, (NodeAddress{"::1", 7002}));
    EXPECT_EQ(ask.to.text(), "[::1]:7002");

    Redirect same_host = parse_redirect("MOVED 1 :7000");
    EXPECT_EQ(same_host.kind, Redirect::Kind::moved);
    EXPECT_EQ(same_host.to.host, "");

    EXPECT_EQ(parse_redirect("TRYAGAIN Multiple keys request during rehashing of slot").kind,
              Redirect::Kind::tryagain);
    for (const char* other : {"WRONGTYPE Operation against a key", "MOVED", "MOVED x h:1",
                              "MOVED 99999 h:1", "MOVED 1 h", "MOVED 1 h:port", "ASKING"})
        EXPECT_EQ(parse_redirect(other).kind, Redirect::Kind::none) << other;
}

}  // namespace
}  // namespace cs::test
