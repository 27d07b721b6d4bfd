/**
 * The network: SINGD's test CNN (its `test/optim` MNIST model) for 28 × 28
 * grey images, `Conv2d(1, 3, 5, stride 2) → ReLU → Flatten → Linear(432, 50)
 * → ReLU → Linear(50, 10)`, 22,238 parameters, with PyTorch's default
 * initialization from a seeded generator.
 */
import { Conv2d, Flatten, Linear, ReLU, Sequential } from "@curv/autodiff";
import { Generator } from "@curv/tensor";

/** The CNN with its initial weights drawn from `seed`. */
export function fashionCnn(seed: number): Sequential {
  const generator = new Generator(seed);
  return new Sequential(
    new Conv2d(1, 3, 5, { stride: 2, generator }),
    new ReLU(),
    new Flatten(),
    new Linear(3 * 12 * 12, 50, { generator }),
    new ReLU(),
    new Linear(50, 10, { generator }),
  );
}
