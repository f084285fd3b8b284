const products = [
  { id: "sencha", name: "Sencha", price: 8.5 },
  { id: "assam", name: "Assam", price: 6.0 },
  { id: "oolong", name: "Oolong", price: 11.25 },
];

const cart = [];

function render() {
  const total = cart.reduce((sum, p) => sum + p.price, 0);
  document.getElementById("cart-count").textContent = String(cart.length);
  document.getElementById("cart-total").textContent = `$${total.toFixed(2)}`;
  document.getElementById("checkout").disabled = cart.length === 0;
}

function addToCart(product) {
  cart.push(product);
  render();
}

function checkout() {
  const message = document.getElementById("message");
  message.textContent = `Thanks! ${cart.length} item(s) ordered.`;
  cart.length = 0;
  render();
}

document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("products");
  for (const product of products) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.textContent = `Add ${product.name} ($${product.price.toFixed(2)})`;
    button.addEventListener("click", () => addToCart(product));
    item.append(product.name, button);
    list.append(item);
  }
  document.getElementById("checkout").addEventListener("click", checkout);
  render();
});
