// Runs a libFuzzer target without libFuzzer (GCC builds): a bounded number of deterministic mutations
// (bit flips, byte overwrites with boundary values, truncations, insertions, splices of the JSON header)
// of seed inputs. Usage: driver ITERATIONS SEED_FILE...
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

std::vector<uint8_t> mutate(std::vector<uint8_t> input, std::mt19937_64 &rng)
{
    const int mutations = 1 + int(rng() % 4);
    static const uint8_t interesting[] = {0, 1, 0x7f, 0x80, 0xff, '"', '[', ']', '{', '}', ',', ':', '-', '9', 'e'};
    for (int m = 0; m < mutations; ++m) {
        switch (rng() % 6) {
        case 0: // flip a bit
            if (!input.empty())
                input[rng() % input.size()] ^= uint8_t(1u << (rng() % 8));
            break;
        case 1: // an interesting byte
            if (!input.empty())
                input[rng() % input.size()] = interesting[rng() % sizeof interesting];
            break;
        case 2: // truncate
            if (!input.empty())
                input.resize(rng() % input.size());
            break;
        case 3: // insert a byte
            input.insert(input.begin() + long(input.empty() ? 0 : rng() % input.size()), uint8_t(rng()));
            break;
        case 4: // the length prefix: small, large or huge
            if (input.size() >= 8) {
                const uint64_t values[] = {0, 1, 7, input.size() - 8, input.size(), uint64_t(rng() % 4096),
                                           0xffffffffull, ~0ull};
                const uint64_t v = values[rng() % 8];
                for (int i = 0; i < 8; ++i)
                    input[size_t(i)] = uint8_t(v >> (8 * i));
            }
            break;
        case 5: // duplicate a chunk (repeats JSON structure)
            if (input.size() > 2) {
                const size_t begin = rng() % input.size();
                const size_t length = rng() % std::min<size_t>(64, input.size() - begin);
                std::vector<uint8_t> chunk(input.begin() + long(begin), input.begin() + long(begin + length));
                input.insert(input.begin() + long(rng() % input.size()), chunk.begin(), chunk.end());
            }
            break;
        }
    }
    return input;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s ITERATIONS SEED_FILE...\n", argv[0]);
        return 2;
    }
    const long iterations = std::atol(argv[1]);
    std::vector<std::vector<uint8_t>> seeds;
    for (int i = 2; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "cannot read seed %s\n", argv[i]);
            return 2;
        }
        seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::mt19937_64 rng(20241126);
    for (long i = 0; i < iterations; ++i) {
        const std::vector<uint8_t> input = mutate(seeds[size_t(i) % seeds.size()], rng);
        LLVMFuzzerTestOneInput(input.data(), input.size());
    }
    std::printf("%ld inputs, no crash\n", iterations);
    return 0;
}
