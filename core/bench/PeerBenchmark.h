#pragma once

#include "core/bench/Benchmark.h"

#include <QJsonObject>
#include <QString>

namespace redifine {

// The eager-PyTorch peer of the tiny family's benchmark (tests/device/peer_tiny.py) and the python3 that runs it.
struct PeerProgram
{
    QString python;         // the first python3 on PATH that imports torch
    QString torchVersion;   // its torch.__version__
    QString script;         // peer_tiny.py
};

// Finds the peer before anything is measured: python3 with torch on PATH, the script installed next to the
// data (share/redifine-studio/bench) or in the source tree's tests/device. Throws InputError (exit 2) when
// either is missing; Debian's python3-torch is optional and never a dependency.
PeerProgram findPeerProgram();

// `pairs` interleaved pairs (product, peer, product, peer, ...) of the tiny family's LoRA training step and
// sampling run at the sizes of `options` (trainBatch, trainSteps, sampleImages, sampleSteps), both sides with this
// process's threads, OPENBLAS_CORETYPE and BLAS library. Per pair and as the median over pairs: peer seconds /
// product seconds (above 1: the product is faster); the training step compares the median step of each side.
// Throws RuntimeError when the peer fails or its model is not the product's (parameter or adapter counts differ).
// The `peer` object of `redifine bench --peer --json`.
QJsonObject runPeerBenchmark(const PeerProgram &peer, const BenchmarkOptions &options, int pairs);

} // namespace redifine
