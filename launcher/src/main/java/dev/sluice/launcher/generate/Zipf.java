package dev.sluice.launcher.generate;

import java.util.SplittableRandom;

/**
 * Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s: a few hot keys and a long tail,
 * the skew real keys have. s = 0 is uniform; s around 1 is typical of words, items, users.
 */
public final class Zipf {
  private final double[] cdf;

  public Zipf(int n, double s) {
    if (n < 1 || s < 0) {
      throw new IllegalArgumentException("Zipf needs n >= 1 and s >= 0, was n=" + n + ", s=" + s);
    }
    cdf = new double[n];
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += 1 / Math.pow(k, s);
      cdf[k - 1] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
  }

  /** A rank in [0, n). */
  public int sample(SplittableRandom random) {
    double u = random.nextDouble();
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
