#include "core/analysis/Tsne.h"

#include "core/common/Error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <QString>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace redifine {

namespace {

struct SparseRow
{
    std::vector<int> columns;
    std::vector<double> values;
};

at::Tensor featureTensor(const NpyArray &features)
{
    for (double v : features.values)
        if (!std::isfinite(v))
            throw InputError("t-SNE: the features hold a NaN or infinite value");
    return at::from_blob(const_cast<double *>(features.values.data()), {features.rows(), features.columns()}, at::kDouble).clone();
}

// The k nearest neighbours of every row (itself excluded) and their squared distances, by blocks of rows.
void nearestNeighbours(const at::Tensor &x, int k, std::vector<std::vector<int>> &index, std::vector<std::vector<double>> &distance)
{
    const int64_t n = x.size(0);
    const at::Tensor squares = (x * x).sum(1);
    index.resize(n);
    distance.resize(n);
    for (int64_t begin = 0; begin < n; begin += 512) {
        const int64_t end = std::min(n, begin + 512);
        at::Tensor d = squares.slice(0, begin, end).unsqueeze(1) + squares.unsqueeze(0)
                       - 2.0 * at::matmul(x.slice(0, begin, end), x.t());
        d.clamp_min_(0.0);
        for (int64_t i = begin; i < end; ++i)
            d[i - begin][i] = std::numeric_limits<double>::infinity();
        const auto [values, indices] = d.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        const at::Tensor v = values.contiguous(), ix = indices.contiguous();
        for (int64_t i = begin; i < end; ++i) {
            distance[i].assign(v[i - begin].data_ptr<double>(), v[i - begin].data_ptr<double>() + k);
            index[i].assign(ix[i - begin].data_ptr<int64_t>(), ix[i - begin].data_ptr<int64_t>() + k);
        }
    }
}

// p_{j|i} over the neighbours of i, with the Gaussian's precision found by bisection so that the entropy
// equals log(perplexity).
std::vector<double> conditionalAffinities(const std::vector<double> &squaredDistances, double perplexity)
{
    const double target = std::log(perplexity);
    double beta = 1.0, low = 0.0, high = std::numeric_limits<double>::infinity();
    std::vector<double> p(squaredDistances.size());
    const double nearest = squaredDistances.front();
    for (int attempt = 0; attempt < 200; ++attempt) {
        double sum = 0.0, weighted = 0.0;
        for (size_t j = 0; j < p.size(); ++j) {
            p[j] = std::exp(-beta * (squaredDistances[j] - nearest));   // shifted: the ratio is unchanged
            sum += p[j];
            weighted += (squaredDistances[j] - nearest) * p[j];
        }
        const double entropy = std::log(sum) + beta * weighted / sum;
        for (double &v : p)
            v /= sum;
        if (std::abs(entropy - target) < 1e-5)
            break;
        if (entropy > target) {
            low = beta;
            beta = std::isinf(high) ? beta * 2.0 : (beta + high) / 2.0;
        } else {
            high = beta;
            beta = (beta + low) / 2.0;
        }
    }
    return p;
}

// P = (P_cond + P_cond^T) / (2n), as sparse rows.
std::vector<SparseRow> jointAffinities(const std::vector<std::vector<int>> &index, const std::vector<std::vector<double>> &conditional)
{
    const size_t n = index.size();
    std::vector<std::vector<std::pair<int, double>>> entries(n);
    for (size_t i = 0; i < n; ++i)
        for (size_t m = 0; m < index[i].size(); ++m) {
            const double v = conditional[i][m] / (2.0 * double(n));
            entries[i].emplace_back(index[i][m], v);
            entries[size_t(index[i][m])].emplace_back(int(i), v);
        }
    std::vector<SparseRow> rows(n);
    for (size_t i = 0; i < n; ++i) {
        std::sort(entries[i].begin(), entries[i].end());
        for (const auto &[column, value] : entries[i]) {
            if (!rows[i].columns.empty() && rows[i].columns.back() == column) {
                rows[i].values.back() += value;
            } else {
                rows[i].columns.push_back(column);
                rows[i].values.push_back(value);
            }
        }
    }
    return rows;
}

// A point quadtree over the embedding with each cell's centre of mass, rebuilt every iteration.
class QuadTree
{
public:
    explicit QuadTree(const std::vector<double> &y) : m_y(y)
    {
        const size_t n = y.size() / 2;
        double minX = y[0], maxX = y[0], minY = y[1], maxY = y[1];
        for (size_t i = 1; i < n; ++i) {
            minX = std::min(minX, y[2 * i]);
            maxX = std::max(maxX, y[2 * i]);
            minY = std::min(minY, y[2 * i + 1]);
            maxY = std::max(maxY, y[2 * i + 1]);
        }
        const double half = std::max(maxX - minX, maxY - minY) / 2.0 + 1e-5;
        m_nodes.reserve(4 * n);
        m_nodes.push_back(Node{(minX + maxX) / 2.0, (minY + maxY) / 2.0, half});
        for (size_t i = 0; i < n; ++i)
            insert(0, int(i), 0);
    }

    // Adds sum_j q_ij^2 (y_i - y_j) to force and returns sum_j q_ij, q_ij = 1 / (1 + |y_i - y_j|^2), j != i.
    double repulsion(int i, double theta, double force[2]) const
    {
        const double yx = m_y[2 * size_t(i)], yy = m_y[2 * size_t(i) + 1];
        double z = 0.0;
        int stack[256];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const Node &node = m_nodes[size_t(stack[--top])];
            if (node.count == 0)
                continue;
            const double dx = yx - node.comX, dy = yy - node.comY;
            const double d2 = dx * dx + dy * dy;
            const bool leaf = node.child[0] < 0;
            if (leaf || 2.0 * node.half < theta * std::sqrt(d2)) {
                // A leaf holds one point or several that coincide; at distance 0 it holds i, which adds nothing.
                const int others = node.count - (leaf && d2 == 0.0 ? 1 : 0);
                const double q = 1.0 / (1.0 + d2);
                z += others * q;
                force[0] += others * q * q * dx;
                force[1] += others * q * q * dy;
            } else {
                for (int c : node.child)
                    stack[top++] = c;
            }
        }
        return z;
    }

private:
    struct Node
    {
        double centreX = 0.0, centreY = 0.0, half = 0.0;
        double comX = 0.0, comY = 0.0;
        int count = 0;
        int child[4] = {-1, -1, -1, -1};
        int point = -1;   // the first point of a leaf
    };

    static constexpr int kMaxDepth = 60;

    int quadrant(const Node &node, int i) const
    {
        return (m_y[2 * size_t(i)] > node.centreX ? 1 : 0) + (m_y[2 * size_t(i) + 1] > node.centreY ? 2 : 0);
    }

    void insert(int nodeIndex, int i, int depth)
    {
        Node *node = &m_nodes[size_t(nodeIndex)];
        node->comX = (node->comX * node->count + m_y[2 * size_t(i)]) / (node->count + 1);
        node->comY = (node->comY * node->count + m_y[2 * size_t(i) + 1]) / (node->count + 1);
        ++node->count;
        if (node->child[0] < 0) {
            if (node->count == 1) {
                node->point = i;
                return;
            }
            const bool coincide = m_y[2 * size_t(i)] == m_y[2 * size_t(node->point)]
                                  && m_y[2 * size_t(i) + 1] == m_y[2 * size_t(node->point) + 1];
            if (coincide || depth >= kMaxDepth)
                return;
            // Split: the leaf's point moves into a child, then i follows.
            const int existing = node->point;
            const double h = node->half / 2.0;
            for (int q = 0; q < 4; ++q)
                m_nodes.push_back(Node{node->centreX + ((q & 1) ? h : -h), node->centreY + ((q & 2) ? h : -h), h});
            node = &m_nodes[size_t(nodeIndex)];   // push_back may have moved it
            for (int q = 0; q < 4; ++q)
                node->child[q] = int(m_nodes.size()) - 4 + q;
            node->point = -1;
            const int existingChild = node->child[quadrant(*node, existing)];
            Node &target = m_nodes[size_t(existingChild)];
            target.comX = m_y[2 * size_t(existing)];
            target.comY = m_y[2 * size_t(existing) + 1];
            target.count = 1;
            target.point = existing;
            node = &m_nodes[size_t(nodeIndex)];
        }
        insert(node->child[quadrant(*node, i)], i, depth + 1);
    }

    const std::vector<double> &m_y;
    std::vector<Node> m_nodes;
};

} // namespace

std::vector<double> tsne(const NpyArray &features, const TsneOptions &options, const std::function<void(int)> &progress)
{
    const int64_t n = features.rows();
    if (features.shape.size() != 2 || n < 4)
        throw InputError("t-SNE: need a feature matrix with at least 4 rows");
    if (!(options.perplexity > 0.0) || options.perplexity >= double(n - 1))
        throw InputError(QStringLiteral("t-SNE: perplexity %1 must be positive and below the number of points minus one (%2)")
                             .arg(options.perplexity)
                             .arg(n - 1)
                             .toStdString());
    // Bounded so a typo cannot run for days: 100,000 iterations is a hundred times the usual 1,000.
    if (options.iterations < 1 || options.iterations > 100000 || !(options.theta >= 0.0 && options.theta <= 10.0))
        throw InputError("t-SNE: iterations must be from 1 to 100000 and theta from 0 to 10");

    const int k = int(std::min<int64_t>(n - 1, int64_t(std::floor(3.0 * options.perplexity))));
    std::vector<std::vector<int>> index;
    std::vector<std::vector<double>> distance;
    nearestNeighbours(featureTensor(features), k, index, distance);
    std::vector<std::vector<double>> conditional(n);
    at::parallel_for(0, n, 64, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            conditional[i] = conditionalAffinities(distance[i], options.perplexity);
    });
    const std::vector<SparseRow> p = jointAffinities(index, conditional);

    std::mt19937_64 rng(options.seed);
    std::normal_distribution<double> normal(0.0, 1e-4);
    std::vector<double> y(2 * size_t(n)), update(y.size(), 0.0), gains(y.size(), 1.0), gradient(y.size());
    for (double &v : y)
        v = normal(rng);
    // scikit-learn's "auto" rate, for a gradient that includes the factor 4 as ours does; a fixed 200 scatters
    // small sets (120 points flew apart in the tests).
    const double learningRate = options.learningRate > 0.0 ? options.learningRate : std::max(50.0, double(n) / options.exaggeration / 4.0);
    std::vector<double> zPerPoint(n), repulsion(y.size());

    for (int iteration = 0; iteration < options.iterations; ++iteration) {
        const double exaggeration = iteration < options.exaggerationIterations ? options.exaggeration : 1.0;
        const double momentum = iteration < options.exaggerationIterations ? 0.5 : 0.8;
        const QuadTree tree(y);
        at::parallel_for(0, n, 64, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                double force[2] = {0.0, 0.0};
                zPerPoint[i] = tree.repulsion(int(i), options.theta, force);
                repulsion[2 * i] = force[0];
                repulsion[2 * i + 1] = force[1];
                double attractive[2] = {0.0, 0.0};
                const SparseRow &row = p[size_t(i)];
                for (size_t m = 0; m < row.columns.size(); ++m) {
                    const size_t j = size_t(row.columns[m]);
                    const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    const double q = 1.0 / (1.0 + dx * dx + dy * dy);
                    attractive[0] += row.values[m] * q * dx;
                    attractive[1] += row.values[m] * q * dy;
                }
                gradient[2 * i] = exaggeration * attractive[0];
                gradient[2 * i + 1] = exaggeration * attractive[1];
            }
        });
        // Z sums in a fixed order, so the result does not depend on the thread count.
        const double z = std::accumulate(zPerPoint.begin(), zPerPoint.end(), 0.0);
        double meanX = 0.0, meanY = 0.0;
        for (size_t i = 0; i < y.size(); ++i) {
            const double g = 4.0 * (gradient[i] - repulsion[i] / z);
            gains[i] = (g > 0.0) != (update[i] > 0.0) ? gains[i] + 0.2 : std::max(gains[i] * 0.8, 0.01);
            update[i] = momentum * update[i] - learningRate * gains[i] * g;
            y[i] += update[i];
            (i % 2 ? meanY : meanX) += y[i] / double(n);
        }
        for (size_t i = 0; i < y.size(); i += 2) {
            y[i] -= meanX;
            y[i + 1] -= meanY;
        }
        if (progress)
            progress(iteration + 1);
    }
    return y;
}

double trustworthiness(const NpyArray &original, const std::vector<double> &embedding, int dims, int k)
{
    const int64_t n = original.rows();
    if (dims < 1 || int64_t(embedding.size()) != n * dims || k < 1 || 2 * int64_t(k) >= n)
        throw InputError("trustworthiness: the embedding must have one row per point and k < n / 2");
    const at::Tensor x = featureTensor(original);
    const at::Tensor e = at::from_blob(const_cast<double *>(embedding.data()), {n, dims}, at::kDouble);
    // Ranks of every point by distance in the original space (rank 1: the nearest other point).
    at::Tensor distances = at::cdist(x, x);
    distances.fill_diagonal_(std::numeric_limits<double>::infinity());
    const at::Tensor order = distances.argsort(/*dim=*/1, /*descending=*/false);
    at::Tensor ranks = at::empty({n, n}, at::kLong);
    ranks.scatter_(1, order, at::arange(1, n + 1, at::kLong).expand({n, n}).contiguous());
    at::Tensor embedded = at::cdist(e, e);
    embedded.fill_diagonal_(std::numeric_limits<double>::infinity());
    const at::Tensor neighbours = std::get<1>(embedded.topk(k, 1, /*largest=*/false));
    const at::Tensor penalty = (ranks.gather(1, neighbours) - k).clamp_min(0);
    const double sum = double(penalty.sum().item<int64_t>());
    return 1.0 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)) * sum;
}

} // namespace redifine
