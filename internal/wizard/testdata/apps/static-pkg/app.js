const cart = [];
function addToCart(p) {
  cart.push(p);
}
