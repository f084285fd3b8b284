from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="Items")


class ItemIn(BaseModel):
    name: str
    price: float
    quantity: int = 0


class Item(ItemIn):
    id: int


items: dict[int, Item] = {}


@app.get("/items")
def list_items() -> list[Item]:
    return list(items.values())


@app.post("/items", status_code=201)
def create_item(data: ItemIn) -> Item:
    item = Item(id=len(items) + 1, **data.model_dump())
    items[item.id] = item
    return item


@app.get("/items/{item_id}")
def get_item(item_id: int) -> Item:
    if item_id not in items:
        raise HTTPException(status_code=404, detail="item not found")
    return items[item_id]
