#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace redifine {

// A numeric array from or for a NumPy .npy file (feature matrices: one row per image), held as double.
struct NpyArray
{
    std::vector<int64_t> shape;
    std::vector<double> values;   // C order
    int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
    int64_t columns() const;
};

// A rows x columns matrix from row-major values.
NpyArray npyMatrix(const std::vector<double> &values, int64_t rows, int64_t columns);

// Appends the rows of `more` below those of `to` (an empty `to` takes its width). Throws InputError when the
// widths differ.
void appendRows(NpyArray &to, const NpyArray &more);

// Reads little-endian float32, float64, int32 or int64 arrays in C order (format versions 1-3). Every value must
// be finite and within 1e100 (FD, KID and t-SNE of larger values overflow).
// Throws InputError naming the file and the problem for anything else or any inconsistency.
NpyArray readNpy(const QString &path);

// Writes atomically (temporary file, then rename) as float32 or float64.
void writeNpy(const QString &path, const NpyArray &array, bool asFloat32 = false);

} // namespace redifine
